#Requires -Version 5.1
<#
.SYNOPSIS
    Exports, read-only, what hybridready reads to assess a Skype for Business hybrid deployment.

.DESCRIPTION
    Written by `hybridready collect-script` (hybridready @@VERSION_TEXT@@). Run it on a
    domain-joined computer that has the ActiveDirectory module (RSAT), ideally a Skype for
    Business Server admin box (for the SkypeForBusiness module), as a user who can read the
    directory. No administrator right on the directory is needed.

    What it reads:
      - Active Directory, per forest and per domain: users, groups and contacts, with exactly
        the properties hybridready reads (Get-ADForest, Get-ADRootDSE, Get-ADUser, Get-ADGroup,
        Get-ADObject);
      - Skype for Business Server, when its module is installed: Get-CsUser and the
        configuration (hosting providers, Access Edge, allowed and blocked domains, pools, Edge
        services, versions, OAuth);
      - the tenant, when the MicrosoftTeams and Microsoft.Graph modules are installed and this
        PowerShell session is already connected (Connect-MicrosoftTeams, Connect-MgGraph):
        federation, upgrade policy, online users, domains, synchronised users.

    What it never does: change anything in the directory, Skype for Business or the tenant (it
    runs Get- cmdlets only); ask for, read or keep a credential or a token; connect to the
    tenant (when not connected it says which Connect- command to run, and skips that part);
    send anything anywhere. Everything it writes stays in the output folder and its zip, on
    this computer: hand the zip over as agreed.

    Each section runs on its own: one that fails or is skipped is recorded, with why, in
    sections.csv, and the others go on. manifest.csv lists every file with its SHA-256.

.PARAMETER OutputFolder
    The folder to write (created; it must not exist yet). Default:
    HybridReady-<COMPUTERNAME>-<yyyyMMdd-HHmm> (UTC) in the current folder. The zip is written
    beside it, with the same name.

.PARAMETER Forest
    The forests to export, by DNS name. Default: @@FOREST_HELP@@.

.PARAMETER SyncServer
    The Entra Connect server, whose version is read from its registry (through
    Invoke-Command, which needs WinRM). Default: @@SYNC_HELP@@.

.PARAMETER SkipTenant
    Leave the tenant out, even when connected.

.EXAMPLE
    .\Collect-HybridReady.ps1
#>
[CmdletBinding()]
param(
    [string] $OutputFolder = (Join-Path -Path (Get-Location).Path -ChildPath ('HybridReady-{0}-{1}' -f $env:COMPUTERNAME, (Get-Date).ToUniversalTime().ToString('yyyyMMdd-HHmm'))),
    [string[]] $Forest = @@FORESTS@@,
    [string] $SyncServer = @@SYNC_SERVER@@,
    @@SKIP_TENANT@@
)

$ErrorActionPreference = 'Stop'
$KitVersion = @@VERSION@@
$CollectedAt = (Get-Date).ToUniversalTime()

# hybridready splits multi-valued cells on this separator. A multi-valued property left as it
# is would be written as its type name (ADPropertyValueCollection) and its values lost.
$Separator = @@SEPARATOR@@
# Dates are written in UTC, ISO 8601, whatever this computer's locale.
$DateFormat = @@DATE_FORMAT@@
$Invariant = [System.Globalization.CultureInfo]::InvariantCulture
# UTF-8 with a byte-order mark, under Windows PowerShell 5.1 and PowerShell 7 alike.
$Encoding = if ($PSVersionTable.PSVersion.Major -ge 6) { 'utf8BOM' } else { 'UTF8' }

# ---------------------------------------------------------------------------------------------
# What is asked of Active Directory, Skype for Business and the tenant. These lists are
# generated from hybridready's own declarations of what it reads.
# ---------------------------------------------------------------------------------------------

@@PROPERTIES@@

# Get-CsUser: the columns written.
$CsUserColumns = @@CS_USER_COLUMNS@@

# Get-CsOnlineUser: the columns written.
$OnlineUserColumns = @@ONLINE_USER_COLUMNS@@

# Get-MgUser: the properties asked, and the columns written.
$GraphUserProperties = @@GRAPH_USER_PROPERTIES@@
$GraphUserColumns = @@GRAPH_USER_COLUMNS@@

# ---------------------------------------------------------------------------------------------
# Helpers: converting values, writing files, running sections.
# ---------------------------------------------------------------------------------------------

# The values of a multi-valued property, joined.
function Join-Values {
    param($Values)
    (@($Values) | Where-Object { $null -ne $_ } | ForEach-Object { [string]$_ }) -join $Separator
}

# Binary values (certificates), each in base64, joined.
function Join-Base64 {
    param($Values)
    (@($Values) | Where-Object { $null -ne $_ } | ForEach-Object { [System.Convert]::ToBase64String([byte[]]$_) }) -join $Separator
}

# One binary value (a GUID as bytes) in base64.
function ConvertTo-Base64 {
    param($Bytes)
    if ($null -eq $Bytes) { return $null }
    [System.Convert]::ToBase64String([byte[]]$Bytes)
}

# A binary SID as S-1-...; bytes that are not a SID are kept as base64, to be reported.
function ConvertTo-SidText {
    param($Bytes)
    if ($null -eq $Bytes) { return $null }
    try {
        (New-Object -TypeName System.Security.Principal.SecurityIdentifier -ArgumentList ([byte[]]$Bytes), 0).Value
    } catch {
        [System.Convert]::ToBase64String([byte[]]$Bytes)
    }
}

# A date in UTC, ISO 8601.
function ConvertTo-UtcText {
    param($Date)
    if ($null -eq $Date) { return $null }
    ([datetime]$Date).ToUniversalTime().ToString($DateFormat, $Invariant)
}

# The full path of a file of the output folder, its folder created.
function Get-OutputPath {
    param([string] $Relative)
    $path = Join-Path -Path $OutputFolder -ChildPath $Relative
    $parent = Split-Path -Path $path -Parent
    if (-not (Test-Path -LiteralPath $parent)) {
        New-Item -ItemType Directory -Path $parent | Out-Null
    }
    $path
}

# Objects to a CSV file of the output folder. With no object, the header line alone (from the
# columns), as Export-Csv would have written it: an empty file would say nothing of its columns.
function Write-Table {
    param([string] $Relative, $Rows, $Columns)
    $path = Get-OutputPath $Relative
    if (@($Rows).Count -gt 0) {
        $Rows | Export-Csv -LiteralPath $path -NoTypeInformation -Encoding $Encoding
    } else {
        $names = @($Columns | ForEach-Object { if ($_ -is [hashtable]) { $_.Name } else { $_ } })
        ('"' + ($names -join '","') + '"') | Out-File -LiteralPath $path -Encoding $Encoding
    }
}

# A property's value as JSON can hold it: text, numbers and booleans as they are, an
# enumeration by its name (ConvertTo-Json would write its number), a date in UTC, a list as a
# list of such values, anything else as its text.
function ConvertTo-PlainValue {
    param($Value)
    if ($null -eq $Value) { return $null }
    if ($Value -is [string] -or $Value -is [decimal] -or ($Value.GetType().IsPrimitive -and $Value -isnot [char])) { return $Value }
    if ($Value -is [enum]) { return $Value.ToString() }
    if ($Value -is [datetime]) { return ConvertTo-UtcText $Value }
    if ($Value -is [System.Collections.IEnumerable]) { return ,@($Value | ForEach-Object { ConvertTo-PlainValue $_ }) }
    [string]$Value
}

# An object with every property by its own name and a plain value.
function ConvertTo-PlainObject {
    param($InputObject)
    if ($InputObject -is [string]) { return $InputObject }
    $plain = [ordered]@{}
    foreach ($property in $InputObject.PSObject.Properties) {
        try {
            $plain[$property.Name] = ConvertTo-PlainValue $property.Value
        } catch {
            $plain[$property.Name] = $null
        }
    }
    [pscustomobject]$plain
}

# Objects to a JSON file of the output folder: one object as itself, several (or -List) as an
# array.
function Write-Json {
    param([string] $Relative, $Value, [switch] $List)
    $items = @($Value | ForEach-Object { ConvertTo-PlainObject $_ })
    $json = if ($items.Count -eq 1 -and -not $List) {
        ConvertTo-Json -InputObject $items[0] -Depth 5
    } else {
        ConvertTo-Json -InputObject $items -Depth 5
    }
    $json | Out-File -LiteralPath (Get-OutputPath $Relative) -Encoding $Encoding
}

$Sections = New-Object -TypeName System.Collections.Generic.List[object]

# Runs one section: skipped (with the reason) when $SkipReason is given, else its body. A
# failure is recorded with its message and the script goes on with the next section. What the
# body outputs is kept as the section's detail.
function Invoke-Section {
    param([string] $Section, [scriptblock] $Body, [string] $SkipReason)
    Write-Progress -Activity 'Collect-HybridReady' -Status $Section
    if ($SkipReason) {
        Write-Host ('  skipped  {0}: {1}' -f $Section, $SkipReason) -ForegroundColor Yellow
        $Sections.Add([pscustomobject]@{ Section = $Section; Status = 'skipped'; Detail = $SkipReason })
        return
    }
    try {
        $detail = (@(& $Body) | ForEach-Object { [string]$_ }) -join ' '
        Write-Host ('  ok       {0} {1}' -f $Section, $detail) -ForegroundColor Green
        $Sections.Add([pscustomobject]@{ Section = $Section; Status = 'ok'; Detail = $detail })
    } catch {
        $message = $_.Exception.Message
        Write-Host ('  failed   {0}: {1}' -f $Section, $message) -ForegroundColor Red
        $Sections.Add([pscustomobject]@{ Section = $Section; Status = 'failed'; Detail = $message })
    }
}

# The first installed version of a module, or $null.
function Get-ModuleVersion {
    param([string] $Name)
    $module = Get-Module -ListAvailable -Name $Name | Sort-Object -Property Version -Descending | Select-Object -First 1
    if ($module) { [string]$module.Version } else { $null }
}

# A registry value that says whether TLS 1.2 is enabled (1) or disabled (0); $null when unset.
function Get-Tls12Setting {
    param([string] $Side)
    $key = 'HKLM:\SYSTEM\CurrentControlSet\Control\SecurityProviders\SCHANNEL\Protocols\TLS 1.2\' + $Side
    $item = Get-ItemProperty -LiteralPath $key -Name 'Enabled' -ErrorAction SilentlyContinue
    if ($null -eq $item) { return $null }
    [bool]$item.Enabled
}

# ---------------------------------------------------------------------------------------------
# Start.
# ---------------------------------------------------------------------------------------------

if (Test-Path -LiteralPath $OutputFolder) {
    throw ('{0} already exists: give a new -OutputFolder' -f $OutputFolder)
}
New-Item -ItemType Directory -Path $OutputFolder | Out-Null
$OutputFolder = (Resolve-Path -LiteralPath $OutputFolder).Path
Write-Host ('Collect-HybridReady {0}: writing {1}' -f $KitVersion, $OutputFolder)

# ---------------------------------------------------------------------------------------------
# The computer it runs on.
# ---------------------------------------------------------------------------------------------

Invoke-Section -Section 'environment' -Body {
    $entraConnect = $null
    $note = $null
    $registryKey = 'HKLM:\SOFTWARE\Microsoft\Azure AD Connect'
    try {
        if ($SyncServer) {
            $entraConnect = Invoke-Command -ComputerName $SyncServer -ScriptBlock {
                param($Key)
                (Get-ItemProperty -LiteralPath $Key -Name 'Version').Version
            } -ArgumentList $registryKey
        } elseif (Test-Path -LiteralPath $registryKey) {
            $entraConnect = (Get-ItemProperty -LiteralPath $registryKey -Name 'Version').Version
        }
    } catch {
        $note = 'Entra Connect version not read: ' + $_.Exception.Message
    }
    $entraConnectText = if ($null -eq $entraConnect) { $null } else { [string]$entraConnect }
    Write-Json 'environment.json' ([pscustomobject][ordered]@{
        ComputerName        = $env:COMPUTERNAME
        CollectedAt         = $CollectedAt.ToString('yyyy-MM-ddTHH:mm:ssZ', $Invariant)
        KitVersion          = $KitVersion
        PSVersion           = [string]$PSVersionTable.PSVersion
        TeamsModuleVersion  = Get-ModuleVersion 'MicrosoftTeams'
        GraphModuleVersion  = Get-ModuleVersion 'Microsoft.Graph.Authentication'
        Tls12ClientEnabled  = Get-Tls12Setting 'Client'
        Tls12ServerEnabled  = Get-Tls12Setting 'Server'
        EntraConnectVersion = $entraConnectText
    })
    $note
}

# ---------------------------------------------------------------------------------------------
# Active Directory: per forest, per domain, users, groups and contacts.
# ---------------------------------------------------------------------------------------------

$AdSkip = $null
if (-not (Get-Module -ListAvailable -Name 'ActiveDirectory')) {
    $AdSkip = 'the ActiveDirectory module (RSAT) is not installed on this computer'
} else {
    Import-Module -Name 'ActiveDirectory'
    if ($Forest.Count -eq 0) {
        try {
            $Forest = @((Get-ADForest).Name)
        } catch {
            $AdSkip = 'the forest of this computer could not be read: ' + $_.Exception.Message
        }
    }
}
if ($AdSkip) {
    Invoke-Section -Section 'ad' -SkipReason $AdSkip
    $Forest = @()
}

$AllAttributes = @($UserAttributes + $GroupAttributes + $ContactAttributes | Sort-Object -Unique)

foreach ($ForestName in $Forest) {
    $script:Domains = @()
    $script:InSchema = @()
    # The forest's domains, and which of the attributes asked its schema has: the Exchange and
    # Skype for Business attributes exist only where their schema extension was installed, and
    # one unknown name would fail the whole export.
    Invoke-Section -Section ('ad/{0}' -f $ForestName) -Body {
        $script:Domains = @((Get-ADForest -Identity $ForestName).Domains)
        $schema = (Get-ADRootDSE -Server $ForestName).schemaNamingContext
        $filter = '(|' + (($AllAttributes | ForEach-Object { '(lDAPDisplayName={0})' -f $_ }) -join '') + ')'
        $script:InSchema = @(Get-ADObject -Server $ForestName -SearchBase $schema -LDAPFilter $filter -Properties 'lDAPDisplayName' | ForEach-Object { [string]$_.lDAPDisplayName })
        $absent = @($AllAttributes | Where-Object { $script:InSchema -notcontains $_ })
        '{0} domain(s): {1}.' -f $script:Domains.Count, ($script:Domains -join ', ')
        if ($absent.Count -gt 0) {
            'Not in the schema (written as empty columns): {0}.' -f ($absent -join ', ')
        }
    }
    $AskUsers = @($UserAttributes | Where-Object { $script:InSchema -contains $_ }) + $UserExtended
    $AskGroups = @($GroupAttributes | Where-Object { $script:InSchema -contains $_ }) + $GroupExtended
    $AskContacts = @($ContactAttributes | Where-Object { $script:InSchema -contains $_ }) + $ContactExtended

    foreach ($Domain in $script:Domains) {
        $Folder = 'ad/{0}/{1}' -f $ForestName, $Domain
        Invoke-Section -Section ('{0}/users' -f $Folder) -Body {
            $rows = @(Get-ADUser -Server $Domain -Filter * -Properties $AskUsers -ResultPageSize 1000 | Select-Object -Property $UserColumns)
            Write-Table ('{0}/users.csv' -f $Folder) $rows $UserColumns
            '{0} users' -f $rows.Count
        }
        Invoke-Section -Section ('{0}/groups' -f $Folder) -Body {
            $rows = @(Get-ADGroup -Server $Domain -Filter * -Properties $AskGroups -ResultPageSize 1000 | Select-Object -Property $GroupColumns)
            Write-Table ('{0}/groups.csv' -f $Folder) $rows $GroupColumns
            '{0} groups' -f $rows.Count
        }
        Invoke-Section -Section ('{0}/contacts' -f $Folder) -Body {
            $rows = @(Get-ADObject -Server $Domain -LDAPFilter '(objectClass=contact)' -Properties $AskContacts -ResultPageSize 1000 | Select-Object -Property $ContactColumns)
            Write-Table ('{0}/contacts.csv' -f $Folder) $rows $ContactColumns
            '{0} contacts' -f $rows.Count
        }
    }
}

# ---------------------------------------------------------------------------------------------
# Skype for Business Server: users and configuration, when its module is here.
# ---------------------------------------------------------------------------------------------

$SfbSkip = $null
if (-not (Get-Module -ListAvailable -Name 'SkypeForBusiness')) {
    $SfbSkip = 'the SkypeForBusiness module is not installed on this computer: run the script on a Skype for Business Server admin box for this part'
} else {
    try {
        Import-Module -Name 'SkypeForBusiness'
    } catch {
        $SfbSkip = 'the SkypeForBusiness module could not be loaded: ' + $_.Exception.Message
    }
}

Invoke-Section -Section 'sfb/cs-users' -SkipReason $SfbSkip -Body {
    $rows = @(SkypeForBusiness\Get-CsUser -ResultSize Unlimited | Select-Object -Property $CsUserColumns)
    Write-Table 'sfb/cs-users.csv' $rows $CsUserColumns
    '{0} users' -f $rows.Count
}
Invoke-Section -Section 'sfb/hosting-providers' -SkipReason $SfbSkip -Body {
    Write-Json 'sfb/hosting-providers.json' (SkypeForBusiness\Get-CsHostingProvider) -List
}
Invoke-Section -Section 'sfb/access-edge' -SkipReason $SfbSkip -Body {
    Write-Json 'sfb/access-edge.json' (SkypeForBusiness\Get-CsAccessEdgeConfiguration)
}
Invoke-Section -Section 'sfb/allowed-domains' -SkipReason $SfbSkip -Body {
    Write-Json 'sfb/allowed-domains.json' (SkypeForBusiness\Get-CsAllowedDomain) -List
}
Invoke-Section -Section 'sfb/blocked-domains' -SkipReason $SfbSkip -Body {
    Write-Json 'sfb/blocked-domains.json' (SkypeForBusiness\Get-CsBlockedDomain) -List
}
Invoke-Section -Section 'sfb/pools' -SkipReason $SfbSkip -Body {
    Write-Json 'sfb/pools.json' (SkypeForBusiness\Get-CsPool) -List
}
Invoke-Section -Section 'sfb/edge-services' -SkipReason $SfbSkip -Body {
    Write-Json 'sfb/edge-services.json' (SkypeForBusiness\Get-CsService -EdgeServer) -List
}
Invoke-Section -Section 'sfb/server-version' -SkipReason $SfbSkip -Body {
    Write-Json 'sfb/server-version.json' ([string](SkypeForBusiness\Get-CsServerVersion))
}
Invoke-Section -Section 'sfb/replication-status' -SkipReason $SfbSkip -Body {
    Write-Json 'sfb/replication-status.json' (SkypeForBusiness\Get-CsManagementStoreReplicationStatus | Select-Object -Property 'ReplicaFqdn', 'ProductVersion', 'UpToDate', 'LastStatusReport') -List
}
Invoke-Section -Section 'sfb/oauth' -SkipReason $SfbSkip -Body {
    Write-Json 'sfb/oauth.json' (SkypeForBusiness\Get-CsOAuthConfiguration)
}

# ---------------------------------------------------------------------------------------------
# The tenant, when its modules are here and this session is already connected. The script
# never connects: the admin does, beforehand, in this PowerShell session.
# ---------------------------------------------------------------------------------------------

$TeamsSkip = $null
$GraphSkip = $null
if ($SkipTenant) {
    $TeamsSkip = 'not asked (-SkipTenant)'
    $GraphSkip = $TeamsSkip
}
if (-not $TeamsSkip) {
    if (-not (Get-Module -ListAvailable -Name 'MicrosoftTeams')) {
        $TeamsSkip = 'the MicrosoftTeams module is not installed on this computer'
    } else {
        try {
            Import-Module -Name 'MicrosoftTeams'
            MicrosoftTeams\Get-CsTenant | Out-Null
        } catch {
            $TeamsSkip = 'not connected to Microsoft Teams: run Connect-MicrosoftTeams in this PowerShell session, then run this script again'
        }
    }
}
if (-not $GraphSkip) {
    if (-not (Get-Module -ListAvailable -Name 'Microsoft.Graph.Users') -or -not (Get-Module -ListAvailable -Name 'Microsoft.Graph.Identity.DirectoryManagement')) {
        $GraphSkip = 'the Microsoft.Graph.Users and Microsoft.Graph.Identity.DirectoryManagement modules are not both installed on this computer'
    } else {
        Import-Module -Name 'Microsoft.Graph.Users'
        Import-Module -Name 'Microsoft.Graph.Identity.DirectoryManagement'
        if ($null -eq (Get-MgContext)) {
            $GraphSkip = 'not connected to Microsoft Graph: run Connect-MgGraph -Scopes ''User.Read.All'', ''Domain.Read.All'' in this PowerShell session, then run this script again'
        }
    }
}

Invoke-Section -Section 'tenant/tenant-federation' -SkipReason $TeamsSkip -Body {
    Write-Json 'tenant/tenant-federation.json' (MicrosoftTeams\Get-CsTenantFederationConfiguration)
}
Invoke-Section -Section 'tenant/upgrade-policy' -SkipReason $TeamsSkip -Body {
    Write-Json 'tenant/upgrade-policy.json' (MicrosoftTeams\Get-CsTeamsUpgradePolicy -Identity 'Global')
}
Invoke-Section -Section 'tenant/online-users' -SkipReason $TeamsSkip -Body {
    $rows = @(MicrosoftTeams\Get-CsOnlineUser -ResultSize Unlimited | Select-Object -Property $OnlineUserColumns)
    Write-Table 'tenant/online-users.csv' $rows $OnlineUserColumns
    '{0} users' -f $rows.Count
}
Invoke-Section -Section 'tenant/domains' -SkipReason $GraphSkip -Body {
    Write-Json 'tenant/domains.json' (Get-MgDomain -All | Select-Object -Property 'Id', 'IsVerified', 'IsDefault', 'IsInitial', 'AuthenticationType', 'SupportedServices') -List
}
Invoke-Section -Section 'tenant/graph-users' -SkipReason $GraphSkip -Body {
    $rows = @(Get-MgUser -All -Property $GraphUserProperties | Select-Object -Property $GraphUserColumns)
    Write-Table 'tenant/graph-users.csv' $rows $GraphUserColumns
    '{0} users' -f $rows.Count
}

# ---------------------------------------------------------------------------------------------
# The record of the run, the manifest of every file, and the zip.
# ---------------------------------------------------------------------------------------------

Write-Table 'sections.csv' $Sections

$Root = $OutputFolder.TrimEnd('\', '/') + [System.IO.Path]::DirectorySeparatorChar
$Manifest = @(Get-ChildItem -LiteralPath $OutputFolder -Recurse -File | Sort-Object -Property FullName | ForEach-Object {
    [pscustomobject][ordered]@{
        Path   = $_.FullName.Substring($Root.Length).Replace('\', '/')
        Bytes  = $_.Length
        SHA256 = (Get-FileHash -LiteralPath $_.FullName -Algorithm SHA256).Hash.ToUpperInvariant()
    }
})
Write-Table 'manifest.csv' $Manifest

$Zip = $OutputFolder.TrimEnd('\', '/') + '.zip'
Compress-Archive -LiteralPath $OutputFolder -DestinationPath $Zip
Write-Progress -Activity 'Collect-HybridReady' -Completed

$Failed = @($Sections | Where-Object { $_.Status -eq 'failed' }).Count
$Skipped = @($Sections | Where-Object { $_.Status -eq 'skipped' }).Count
Write-Host ''
Write-Host ('{0} sections: {1} ok, {2} failed, {3} skipped (see sections.csv).' -f $Sections.Count, ($Sections.Count - $Failed - $Skipped), $Failed, $Skipped)
Write-Host ('Nothing was changed. Hand over {0}' -f $Zip)
