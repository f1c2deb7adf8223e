<#
.SYNOPSIS
    Moves the users of wave 04 (50 users) back from Teams Only to Skype for Business
    Server.

.DESCRIPTION
    Written by hybridready beside move-wave-04.ps1, to undo it. Runs on a Skype
    for Business Server admin box, as a dry run (-WhatIf) unless -Apply is given.
    Only users homed online are moved back; the others are skipped, so running it
    again resumes. Moves back from the cloud no longer bring contacts back (since
    November 2023), and each moved-back user must exist in on-premises AD.

.LINK
    https://learn.microsoft.com/powershell/module/skype/move-csuser
#>
#Requires -Version 5.1
[CmdletBinding()]
param(
    # Move for real: without it, every move is a dry run (-WhatIf).
    [switch] $Apply,
    # A Microsoft 365 admin for Move-CsUser. Without it, moves run one at a time.
    [System.Management.Automation.PSCredential] $Credential,
    # The on-premises registrar pool (FQDN) the users move back to.
    [Parameter(Mandatory = $true)] [string] $RegistrarPool,
    # Moves run at once, and retries of the failed ones.
    [ValidateRange(1, 100)] [int] $Parallel = 25,
    [ValidateRange(0, 10)] [int] $Retries = 3,
    # Where Move-CsUser's per-user reports and this run's results go.
    [string] $ReportFolder = (Join-Path $PSScriptRoot 'rollback-wave-04-reports')
)

Set-StrictMode -Version 3
$ErrorActionPreference = 'Stop'

$Wave = '04'
$OnlineTarget = 'sipfed.online.lync.com'
$Destination = $RegistrarPool
$MoveOptions = @{
    Target  = $Destination
    Confirm = $false
}

# The users of this wave: the identity the cmdlets are given (the SIP address, or the DN
# when another user holds the same SIP address), then SIP address, UPN and DN as exported.
$Users = @(
    @{ Id = 'sip:cynthia.bianchi@contoso.com'; Sip = 'sip:cynthia.bianchi@contoso.com'; Upn = 'cynthia.bianchi@contoso.com'; Dn = 'CN=Cynthia Bianchi,OU=Staff,DC=contoso,DC=com' }
    @{ Id = 'sip:agnes.lewis@contoso.com'; Sip = 'sip:agnes.lewis@contoso.com'; Upn = 'agnes.lewis@contoso.com'; Dn = 'CN=Agnès Lewis,OU=Finance,OU=Staff,DC=contoso,DC=com' }
    @{ Id = 'sip:betty.hernandez@contoso.com'; Sip = 'sip:betty.hernandez@contoso.com'; Upn = 'betty.hernandez@contoso.com'; Dn = 'CN=Betty Hernández,OU=Engineering,OU=Staff,DC=contoso,DC=com' }
    @{ Id = 'sip:brenda.robinson@contoso.com'; Sip = 'sip:brenda.robinson@contoso.com'; Upn = 'brenda.robinson@contoso.com'; Dn = 'CN=Brenda Robinson,OU=Sales,OU=Staff,DC=contoso,DC=com' }
    @{ Id = 'sip:brian.nelson@contoso.com'; Sip = 'sip:brian.nelson@contoso.com'; Upn = 'brian.nelson@contoso.com'; Dn = 'CN=Brian Nelson,OU=Support,OU=Staff,DC=contoso,DC=com' }
    @{ Id = 'sip:donna.soderberg@contoso.com'; Sip = 'sip:donna.soderberg@contoso.com'; Upn = 'donna.soderberg@contoso.com'; Dn = 'CN=Donna Söderberg,OU=Staff,DC=contoso,DC=com' }
    @{ Id = 'sip:dorothee.mitchell@contoso.com'; Sip = 'sip:dorothee.mitchell@contoso.com'; Upn = 'dorothee.mitchell@contoso.com'; Dn = 'CN=Dorothée Mitchell,OU=Staff,DC=contoso,DC=com' }
    @{ Id = 'sip:dorothee.odegard@contoso.com'; Sip = 'sip:dorothee.odegard@contoso.com'; Upn = 'dorothee.odegard@contoso.com'; Dn = 'CN=Dorothée Ødegård,OU=Finance,OU=Staff,DC=contoso,DC=com' }
    @{ Id = 'sip:fatima.bjork@contoso.com'; Sip = 'sip:fatima.bjork@contoso.com'; Upn = 'fatima.bjork@contoso.com'; Dn = 'CN=Fatima Björk,OU=Staff,DC=contoso,DC=com' }
    @{ Id = 'sip:francois.ostergaard@contoso.com'; Sip = 'sip:francois.ostergaard@contoso.com'; Upn = 'francois.ostergaard@contoso.com'; Dn = 'CN=François Østergaard,OU=Staff,DC=contoso,DC=com' }
    @{ Id = 'sip:gary.pelletier@contoso.com'; Sip = 'sip:gary.pelletier@contoso.com'; Upn = 'gary.pelletier@contoso.com'; Dn = 'CN=Gary Pelletier,OU=Support,OU=Staff,DC=contoso,DC=com' }
    @{ Id = 'sip:george.gonzalez@contoso.com'; Sip = 'sip:george.gonzalez@contoso.com'; Upn = 'george.gonzalez@contoso.com'; Dn = 'CN=George González,OU=Finance,OU=Staff,DC=contoso,DC=com' }
    @{ Id = 'sip:hiroshi.parker@contoso.com'; Sip = 'sip:hiroshi.parker@contoso.com'; Upn = 'hiroshi.parker@contoso.com'; Dn = 'CN=Hiroshi Parker,OU=Sales,OU=Staff,DC=contoso,DC=com' }
    @{ Id = 'sip:jacob.kowalski@contoso.com'; Sip = 'sip:jacob.kowalski@contoso.com'; Upn = 'jacob.kowalski@contoso.com'; Dn = 'CN=Jacob Kowalski,OU=Staff,DC=contoso,DC=com' }
    @{ Id = 'sip:james.adams@contoso.com'; Sip = 'sip:james.adams@contoso.com'; Upn = 'james.adams@contoso.com'; Dn = 'CN=James Adams,OU=Engineering,OU=Staff,DC=contoso,DC=com' }
    @{ Id = 'sip:jennifer.bohm@contoso.com'; Sip = 'sip:jennifer.bohm@contoso.com'; Upn = 'jennifer.bohm@contoso.com'; Dn = 'CN=Jennifer Böhm,OU=Staff,DC=contoso,DC=com' }
    @{ Id = 'sip:jerome.rossi@contoso.com'; Sip = 'sip:jerome.rossi@contoso.com'; Upn = 'jerome.rossi@contoso.com'; Dn = 'CN=Jérôme Rossi,OU=Sales,OU=Staff,DC=contoso,DC=com' }
    @{ Id = 'sip:john.moore@contoso.com'; Sip = 'sip:john.moore@contoso.com'; Upn = 'john.moore@contoso.com'; Dn = 'CN=John Moore,OU=Staff,DC=contoso,DC=com' }
    @{ Id = 'sip:john.smith@contoso.com'; Sip = 'sip:john.smith@contoso.com'; Upn = 'john.smith@contoso.com'; Dn = 'CN=Smith\, John,OU=Staff,DC=contoso,DC=com' }
    @{ Id = 'sip:jonathan.adams@contoso.com'; Sip = 'sip:jonathan.adams@contoso.com'; Upn = 'jonathan.adams@contoso.com'; Dn = 'CN=Jonathan Adams,OU=Sales,OU=Staff,DC=contoso,DC=com' }
    @{ Id = 'sip:jonathan.stewart@contoso.com'; Sip = 'sip:jonathan.stewart@contoso.com'; Upn = 'jonathan.stewart@contoso.com'; Dn = 'CN=Jonathan Stewart,OU=Finance,OU=Staff,DC=contoso,DC=com' }
    @{ Id = 'sip:joshua.edwards@contoso.com'; Sip = 'sip:joshua.edwards@contoso.com'; Upn = 'joshua.edwards@contoso.com'; Dn = 'CN=Joshua Edwards,OU=Staff,DC=contoso,DC=com' }
    @{ Id = 'sip:justin.bonnet@contoso.com'; Sip = 'sip:justin.bonnet@contoso.com'; Upn = 'justin.bonnet@contoso.com'; Dn = 'CN=Justin Bonnet,OU=Support,OU=Staff,DC=contoso,DC=com' }
    @{ Id = 'sip:katherine.vogel@contoso.com'; Sip = 'sip:katherine.vogel@contoso.com'; Upn = 'katherine.vogel@contoso.com'; Dn = 'CN=Katherine Vogel,OU=Staff,DC=contoso,DC=com' }
    @{ Id = 'sip:kevin.kohler@contoso.com'; Sip = 'sip:kevin.kohler@contoso.com'; Upn = 'kevin.kohler@contoso.com'; Dn = 'CN=Kevin Köhler,OU=Staff,DC=contoso,DC=com' }
    @{ Id = 'sip:kwame.ostergaard@contoso.com'; Sip = 'sip:kwame.ostergaard@contoso.com'; Upn = 'kwame.ostergaard@contoso.com'; Dn = 'CN=Kwame Østergaard,OU=Staff,DC=contoso,DC=com' }
    @{ Id = 'sip:linda.nakamura@contoso.com'; Sip = 'sip:linda.nakamura@contoso.com'; Upn = 'linda.nakamura@contoso.com'; Dn = 'CN=Linda Nakamura,OU=Engineering,OU=Staff,DC=contoso,DC=com' }
    @{ Id = 'sip:lisa.brown@contoso.com'; Sip = 'sip:lisa.brown@contoso.com'; Upn = 'lisa.brown@contoso.com'; Dn = 'CN=Lisa Brown,OU=Staff,DC=contoso,DC=com' }
    @{ Id = 'sip:lisa.russo@contoso.com'; Sip = 'sip:lisa.russo@contoso.com'; Upn = 'lisa.russo@contoso.com'; Dn = 'CN=Lisa Russo,OU=Staff,DC=contoso,DC=com' }
    @{ Id = 'sip:loic.stewart@contoso.com'; Sip = 'sip:loic.stewart@contoso.com'; Upn = 'loic.stewart@contoso.com'; Dn = 'CN=Loïc Stewart,OU=Finance,OU=Staff,DC=contoso,DC=com' }
    @{ Id = 'sip:mark.collins@contoso.com'; Sip = 'sip:mark.collins@contoso.com'; Upn = 'mark.collins@contoso.com'; Dn = 'CN=Mark Collins,OU=Staff,DC=contoso,DC=com' }
    @{ Id = 'sip:olga.vogel@contoso.com'; Sip = 'sip:olga.vogel@contoso.com'; Upn = 'olga.vogel@contoso.com'; Dn = 'CN=Olga Vogel,OU=Staff,DC=contoso,DC=com' }
    @{ Id = 'sip:oyvind.araujo@contoso.com'; Sip = 'sip:oyvind.araujo@contoso.com'; Upn = 'oyvind.araujo@contoso.com'; Dn = 'CN=Øyvind Araújo,OU=Staff,DC=contoso,DC=com' }
    @{ Id = 'sip:oyvind.kohler@contoso.com'; Sip = 'sip:oyvind.kohler@contoso.com'; Upn = 'oyvind.kohler@contoso.com'; Dn = 'CN=Øyvind Köhler,OU=Staff,DC=contoso,DC=com' }
    @{ Id = 'sip:pamela.wright@contoso.com'; Sip = 'sip:pamela.wright@contoso.com'; Upn = 'pamela.wright@contoso.com'; Dn = 'CN=Pamela Wright,OU=Staff,DC=contoso,DC=com' }
    @{ Id = 'sip:patricia.bjork@contoso.com'; Sip = 'sip:patricia.bjork@contoso.com'; Upn = 'patricia.bjork@contoso.com'; Dn = 'CN=Patricia Björk,OU=Engineering,OU=Staff,DC=contoso,DC=com' }
    @{ Id = 'sip:patricia.jager@contoso.com'; Sip = 'sip:patricia.jager@contoso.com'; Upn = 'patricia.jager@contoso.com'; Dn = 'CN=Patricia Jäger,OU=Sales,OU=Staff,DC=contoso,DC=com' }
    @{ Id = 'sip:paul.murphy@contoso.com'; Sip = 'sip:paul.murphy@contoso.com'; Upn = 'paul.murphy@contoso.com'; Dn = 'CN=Paul Murphy,OU=Support,OU=Staff,DC=contoso,DC=com' }
    @{ Id = 'sip:rebecca.jager@contoso.com'; Sip = 'sip:rebecca.jager@contoso.com'; Upn = 'rebecca.jager@contoso.com'; Dn = 'CN=Rebecca Jäger,OU=Engineering,OU=Staff,DC=contoso,DC=com' }
    @{ Id = 'sip:robert.tanaka@contoso.com'; Sip = 'sip:robert.tanaka@contoso.com'; Upn = 'robert.tanaka@contoso.com'; Dn = 'CN=Robert Tanaka,OU=Staff,DC=contoso,DC=com' }
    @{ Id = 'sip:samuel.liu@contoso.com'; Sip = 'sip:samuel.liu@contoso.com'; Upn = 'samuel.liu@contoso.com'; Dn = 'CN=Samuel Liu,OU=Support,OU=Staff,DC=contoso,DC=com' }
    @{ Id = 'sip:sarah.watson@contoso.com'; Sip = 'sip:sarah.watson@contoso.com'; Upn = 'sarah.watson@contoso.com'; Dn = 'CN=Sarah Watson,OU=Staff,DC=contoso,DC=com' }
    @{ Id = 'sip:sean.tran@contoso.com'; Sip = 'sip:sean.tran@contoso.com'; Upn = 'sean.tran@contoso.com'; Dn = 'CN=Seán Tran,OU=Sales,OU=Staff,DC=contoso,DC=com' }
    @{ Id = 'sip:soren.hughes@contoso.com'; Sip = 'sip:soren.hughes@contoso.com'; Upn = 'soren.hughes@contoso.com'; Dn = 'CN=Sören Hughes,OU=Sales,OU=Staff,DC=contoso,DC=com' }
    @{ Id = 'sip:soren.moore@contoso.com'; Sip = 'sip:soren.moore@contoso.com'; Upn = 'soren.moore@contoso.com'; Dn = 'CN=Sören Moore,OU=Staff,DC=contoso,DC=com' }
    @{ Id = 'sip:soren.rossi@contoso.com'; Sip = 'sip:soren.rossi@contoso.com'; Upn = 'soren.rossi@contoso.com'; Dn = 'CN=Sören Rossi,OU=Staff,DC=contoso,DC=com' }
    @{ Id = 'sip:stephane.ostergaard@contoso.com'; Sip = 'sip:stephane.ostergaard@contoso.com'; Upn = 'stephane.ostergaard@contoso.com'; Dn = 'CN=Stéphane Østergaard,OU=Sales,OU=Staff,DC=contoso,DC=com' }
    @{ Id = 'sip:thora.parker@contoso.com'; Sip = 'sip:thora.parker@contoso.com'; Upn = 'thora.parker@contoso.com'; Dn = 'CN=Þóra Parker,OU=Engineering,OU=Staff,DC=contoso,DC=com' }
    @{ Id = 'sip:tomas.jones@contoso.com'; Sip = 'sip:tomas.jones@contoso.com'; Upn = 'tomas.jones@contoso.com'; Dn = 'CN=Tomás Jones,OU=Staff,DC=contoso,DC=com' }
    @{ Id = 'sip:zoe.mercier@contoso.com'; Sip = 'sip:zoe.mercier@contoso.com'; Upn = 'zoe.mercier@contoso.com'; Dn = 'CN=Zoë Mercier,OU=Staff,DC=contoso,DC=com' }
)

# Skip a user not homed online: a rerun resumes.
$SkipStatus = 'not-online'
function Test-Done([string] $Id) {
    (Get-CsUser -Identity $Id).HostingProvider -ne $OnlineTarget
}

# Moves one user; run in this session or as a background job.
$MoveOne = {
    param([string] $Id, [hashtable] $Options, [string] $Report, $Credential, [bool] $DryRun)
    $ErrorActionPreference = 'Stop'
    if (-not (Get-Command Move-CsUser -ErrorAction SilentlyContinue)) {
        Import-Module SkypeForBusiness
    }
    if ($Credential) { $Options['Credential'] = $Credential }
    Move-CsUser -Identity $Id -Report $Report -WhatIf:$DryRun @Options
}

Import-Module SkypeForBusiness
New-Item -ItemType Directory -Force -Path $ReportFolder | Out-Null
$DryRun = -not $Apply
$Started = Get-Date -Format 'yyyyMMdd-HHmmss'
$Results = [ordered]@{}
foreach ($u in $Users) {
    $Results[$u.Id] = [pscustomobject]@{
        Sip = $u.Sip; Upn = $u.Upn; Dn = $u.Dn; Status = 'pending'; Attempts = 0; Error = ''
    }
}
function Get-ReportPath([string] $Id) {
    Join-Path $ReportFolder (($Id -replace '[^A-Za-z0-9@._-]', '_') + '.csv')
}

$Pending = @($Users)
for ($attempt = 1; $attempt -le 1 + $Retries -and $Pending.Count -gt 0; $attempt++) {
    $ToMove = @()
    $Failed = @()
    foreach ($u in $Pending) {
        $r = $Results[$u.Id]
        try {
            if (Test-Done $u.Id) { $r.Status = $SkipStatus; $r.Error = ''; continue }
            $ToMove += $u
        } catch {
            $r.Status = 'failed'; $r.Error = "Get-CsUser: $($_.Exception.Message)"; $Failed += $u
        }
    }
    Write-Host ("Wave {0}, attempt {1}: {2} user(s) to move{3}" -f $Wave, $attempt, $ToMove.Count,
        $(if ($DryRun) { ' (dry run: -Apply moves them)' } else { '' }))
    if ($Credential -and -not $DryRun -and $Parallel -gt 1) {
        $Jobs = @{}
        foreach ($u in $ToMove) {
            while (@($Jobs.Keys | Where-Object { $_.State -eq 'Running' }).Count -ge $Parallel) {
                Start-Sleep -Seconds 2
            }
            $job = Start-Job -ScriptBlock $MoveOne -ArgumentList $u.Id, $MoveOptions,
                (Get-ReportPath $u.Id), $Credential, $false
            $Jobs[$job] = $u
        }
        foreach ($job in @($Jobs.Keys)) {
            $u = $Jobs[$job]
            $r = $Results[$u.Id]
            $r.Attempts++
            try {
                Wait-Job $job | Receive-Job -ErrorAction Stop | Out-Null
                $r.Status = 'moved'; $r.Error = ''
            } catch {
                $r.Status = 'failed'; $r.Error = $_.Exception.Message; $Failed += $u
            } finally {
                Remove-Job $job -Force
            }
        }
    } else {
        foreach ($u in $ToMove) {
            $r = $Results[$u.Id]
            $r.Attempts++
            try {
                & $MoveOne $u.Id $MoveOptions.Clone() (Get-ReportPath $u.Id) $Credential $DryRun
                $r.Status = $(if ($DryRun) { 'dry-run' } else { 'moved' }); $r.Error = ''
            } catch {
                $r.Status = 'failed'; $r.Error = $_.Exception.Message; $Failed += $u
            }
        }
    }
    if ($DryRun) { break }
    $Pending = $Failed
}

$ResultsFile = Join-Path $ReportFolder "results-$Started.csv"
$Results.Values | Export-Csv -Path $ResultsFile -NoTypeInformation -Encoding UTF8
$Counts = $Results.Values | Group-Object Status | ForEach-Object { "$($_.Count) $($_.Name)" }
Write-Host ("Wave {0}: {1}. Results: {2}" -f $Wave, ($Counts -join ', '), $ResultsFile)
if (@($Results.Values | Where-Object { $_.Status -eq 'failed' }).Count -gt 0) { exit 1 }
