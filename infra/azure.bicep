// Firebreak on Azure (issue 19 item 3), in the Microsoft 365 Agents Toolkit layout (m365agents.yml deploys it with
// infra/azure.parameters.json). Plain `resource` declarations; no Bicep compiler runs in this repository's CI, so
// test/unit/infra.test.ts cross-checks this file against the code, and docs/deploy-azure.md says that deployment is
// verified only in a subscription.
//
// What it makes: a user-assigned managed identity; Key Vault (RBAC) holding every secret; Log Analytics + Application
// Insights; App Service on Linux (Node 22 LTS) running `node dist/main.js`; Azure Database for PostgreSQL Flexible
// Server; Azure Bot (single-tenant, Teams channel) pointing at /api/messages. App settings carry no secret: secrets
// are Key Vault references resolved by the managed identity.

@description('Prefix of every resource name (letters and digits, 3-16).')
@minLength(3)
@maxLength(16)
param resourceBaseName string

@description('Azure region of every resource.')
param location string = resourceGroup().location

@description('The bot\'s Entra app (client) id: MICROSOFT_APP_ID.')
param botAppId string

@description('The bot\'s client secret: MICROSOFT_APP_PASSWORD, stored in Key Vault only.')
@secure()
param botAppPassword string

@description('The Entra tenant the bot and its users belong to: MICROSOFT_APP_TENANT_ID.')
param botTenantId string = tenant().tenantId

@description('App Service plan SKU (B1 for a trial; P0v3 or above for production).')
param appServiceSku string = 'B1'

@description('PostgreSQL administrator login.')
param postgresAdminLogin string = 'firebreak'

@description('PostgreSQL administrator password, stored in Key Vault only (inside DATABASE_URL).')
@secure()
param postgresAdminPassword string

@description('PostgreSQL Flexible Server SKU name.')
param postgresSku string = 'Standard_B1ms'

@description('Bearer token for /metrics (METRICS_TOKEN, at least 32 characters); empty leaves /metrics off.')
@secure()
param metricsToken string = ''

@description('The Google service account key JSON (GOOGLE_SERVICE_ACCOUNT_KEY), stored in Key Vault only; empty leaves Google Docs off.')
@secure()
param googleServiceAccountKey string = ''

@description('The Google Workspace user the service account acts as (GOOGLE_SUBJECT); needed with a key.')
param googleSubject string = ''

@description('The incident doc template (GOOGLE_TEMPLATE_ID); needed with a key.')
param googleTemplateId string = ''

@description('The Entra group id of the team incident channels are made in (GRAPH_INCIDENT_TEAM_ID); empty: no channels.')
param graphIncidentTeamId string = ''

@description('The object id of the user who organizes meeting bridges (GRAPH_MEETING_ORGANIZER_ID); empty: no bridges.')
param graphMeetingOrganizerId string = ''

@description('The mailbox announcements are sent from (GRAPH_MAIL_SENDER).')
param graphMailSender string = ''

@description('The incidents list, comma-separated (INCIDENT_MAIL_TO); empty: no announcement mail.')
param incidentMailTo string = ''

var name = toLower(resourceBaseName)
var webAppName = '${name}-app'
var publicUrl = 'https://${webAppName}.azurewebsites.net'
var keyVaultName = '${name}-kv'
var kvRef = 'https://${keyVaultName}${environment().suffixes.keyvaultDns}/secrets'

resource identity 'Microsoft.ManagedIdentity/userAssignedIdentities@2023-01-31' = {
  name: '${name}-id'
  location: location
}

resource logs 'Microsoft.OperationalInsights/workspaces@2023-09-01' = {
  name: '${name}-logs'
  location: location
  properties: {
    sku: { name: 'PerGB2018' }
    retentionInDays: 30
  }
}

resource insights 'Microsoft.Insights/components@2020-02-02' = {
  name: '${name}-insights'
  location: location
  kind: 'web'
  properties: {
    Application_Type: 'web'
    WorkspaceResourceId: logs.id
  }
}

resource vault 'Microsoft.KeyVault/vaults@2023-07-01' = {
  name: keyVaultName
  location: location
  properties: {
    tenantId: tenant().tenantId
    sku: { family: 'A', name: 'standard' }
    enableRbacAuthorization: true
    enableSoftDelete: true
    enablePurgeProtection: true
  }
}

// Key Vault Secrets User (4633458b-17de-408a-b874-0445c86b69e6): the app reads secrets, nothing more.
resource vaultReader 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(vault.id, identity.id, 'secrets-user')
  scope: vault
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', '4633458b-17de-408a-b874-0445c86b69e6')
    principalId: identity.properties.principalId
    principalType: 'ServicePrincipal'
  }
}

resource postgres 'Microsoft.DBforPostgreSQL/flexibleServers@2022-12-01' = {
  name: '${name}-pg'
  location: location
  sku: { name: postgresSku, tier: 'Burstable' }
  properties: {
    version: '16'
    administratorLogin: postgresAdminLogin
    administratorLoginPassword: postgresAdminPassword
    storage: { storageSizeGB: 32 }
    backup: { backupRetentionDays: 7, geoRedundantBackup: 'Disabled' }
    highAvailability: { mode: 'Disabled' }
  }
}

resource database 'Microsoft.DBforPostgreSQL/flexibleServers/databases@2022-12-01' = {
  parent: postgres
  name: 'firebreak'
}

// Only Azure services reach the server (the special 0.0.0.0 rule); no client address range is opened. A private
// endpoint with VNet integration closes it further (docs/deploy-azure.md).
resource postgresAzureOnly 'Microsoft.DBforPostgreSQL/flexibleServers/firewallRules@2022-12-01' = {
  parent: postgres
  name: 'AllowAzureServices'
  properties: { startIpAddress: '0.0.0.0', endIpAddress: '0.0.0.0' }
}

resource botPasswordSecret 'Microsoft.KeyVault/vaults/secrets@2023-07-01' = {
  parent: vault
  name: 'microsoft-app-password'
  properties: { value: botAppPassword }
}

resource databaseUrlSecret 'Microsoft.KeyVault/vaults/secrets@2023-07-01' = {
  parent: vault
  name: 'database-url'
  properties: { value: 'postgres://${postgresAdminLogin}:${uriComponent(postgresAdminPassword)}@${postgres.properties.fullyQualifiedDomainName}:5432/firebreak?sslmode=require' }
}

resource metricsTokenSecret 'Microsoft.KeyVault/vaults/secrets@2023-07-01' = if (!empty(metricsToken)) {
  parent: vault
  name: 'metrics-token'
  properties: { value: metricsToken }
}

resource googleKeySecret 'Microsoft.KeyVault/vaults/secrets@2023-07-01' = if (!empty(googleServiceAccountKey)) {
  parent: vault
  name: 'google-service-account-key'
  properties: { value: googleServiceAccountKey }
}

resource plan 'Microsoft.Web/serverfarms@2023-12-01' = {
  name: '${name}-plan'
  location: location
  kind: 'linux'
  sku: { name: appServiceSku }
  properties: { reserved: true }
}

// What every production start needs (src/config): the bot's id, secret and tenant, and the database.
var coreSettings = [
  { name: 'MICROSOFT_APP_ID', value: botAppId }
  { name: 'MICROSOFT_APP_PASSWORD', value: '@Microsoft.KeyVault(SecretUri=${kvRef}/microsoft-app-password)' }
  { name: 'MICROSOFT_APP_TENANT_ID', value: botTenantId }
  { name: 'DATABASE_URL', value: '@Microsoft.KeyVault(SecretUri=${kvRef}/database-url)' }
  { name: 'PUBLIC_URL', value: publicUrl }
  { name: 'PORT', value: '8080' }
  { name: 'HOST', value: '0.0.0.0' }
  { name: 'LOG_LEVEL', value: 'info' }
  { name: 'TRUSTED_PROXY_HOPS', value: '1' }
  { name: 'APPLICATIONINSIGHTS_CONNECTION_STRING', value: insights.properties.ConnectionString }
  { name: 'WEBSITES_PORT', value: '8080' }
  { name: 'SCM_DO_BUILD_DURING_DEPLOYMENT', value: 'false' }
]
var graphSettings = [
  { name: 'GRAPH_INCIDENT_TEAM_ID', value: graphIncidentTeamId }
  { name: 'GRAPH_MEETING_ORGANIZER_ID', value: graphMeetingOrganizerId }
  { name: 'GRAPH_MAIL_SENDER', value: graphMailSender }
  { name: 'INCIDENT_MAIL_TO', value: incidentMailTo }
]
var metricsSettings = empty(metricsToken) ? [] : [
  { name: 'METRICS_TOKEN', value: '@Microsoft.KeyVault(SecretUri=${kvRef}/metrics-token)' }
]
var googleSettings = empty(googleServiceAccountKey) ? [] : [
  { name: 'GOOGLE_SERVICE_ACCOUNT_KEY', value: '@Microsoft.KeyVault(SecretUri=${kvRef}/google-service-account-key)' }
  { name: 'GOOGLE_SUBJECT', value: googleSubject }
  { name: 'GOOGLE_TEMPLATE_ID', value: googleTemplateId }
  { name: 'GOOGLE_NOTIFY_URL', value: publicUrl }
]

resource app 'Microsoft.Web/sites@2023-12-01' = {
  name: webAppName
  location: location
  kind: 'app,linux'
  identity: {
    type: 'UserAssigned'
    userAssignedIdentities: { '${identity.id}': {} }
  }
  properties: {
    serverFarmId: plan.id
    httpsOnly: true
    keyVaultReferenceIdentity: identity.id
    siteConfig: {
      linuxFxVersion: 'NODE|22-lts'
      appCommandLine: 'node --no-deprecation --max-semi-space-size=4 --optimize-for-size dist/main.js'
      alwaysOn: true
      ftpsState: 'Disabled'
      minTlsVersion: '1.2'
      http20Enabled: true
      healthCheckPath: '/readyz'
      appSettings: concat(coreSettings, graphSettings, metricsSettings, googleSettings)
    }
  }
  dependsOn: [vaultReader]
}

resource bot 'Microsoft.BotService/botServices@2022-09-15' = {
  name: '${name}-bot'
  location: 'global'
  kind: 'azurebot'
  sku: { name: 'F0' }
  properties: {
    displayName: 'Firebreak'
    endpoint: '${publicUrl}/api/messages'
    msaAppId: botAppId
    msaAppType: 'SingleTenant'
    msaAppTenantId: botTenantId
  }
}

resource teamsChannel 'Microsoft.BotService/botServices/channels@2022-09-15' = {
  parent: bot
  name: 'MsTeamsChannel'
  location: 'global'
  properties: {
    channelName: 'MsTeamsChannel'
  }
}

output BOT_AZURE_APP_SERVICE_RESOURCE_ID string = app.id
output PUBLIC_URL string = publicUrl
output BOT_DOMAIN string = '${webAppName}.azurewebsites.net'
