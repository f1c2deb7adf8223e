<#
.SYNOPSIS
    Moves wave 05 (50 users) from Skype for Business Server to Teams Only.

.DESCRIPTION
    Written by hybridready from its assessment of the Active Directory exports.
    Runs on a Skype for Business Server admin box (SkypeForBusiness module), as a
    dry run (-WhatIf) unless -Apply is given. Users already homed online are skipped,
    so running it again resumes where the last run stopped. No credentials are kept
    here: pass -Credential (a Microsoft 365 admin) to run the moves in parallel jobs,
    or leave it out to sign in interactively (MFA), one move at a time.
    Undo with rollback-wave-05.ps1. The users are listed in wave-05.txt too.
    Meetings convert about 90 minutes after a move; moved users must sign in to
    Teams within 30 days to keep their contacts.

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
    # Moves run at once, and retries of the failed ones.
    [ValidateRange(1, 100)] [int] $Parallel = 25,
    [ValidateRange(0, 10)] [int] $Retries = 3,
    # Where Move-CsUser's per-user reports and this run's results go.
    [string] $ReportFolder = (Join-Path $PSScriptRoot 'move-wave-05-reports')
)

Set-StrictMode -Version 3
$ErrorActionPreference = 'Stop'

$Wave = '05'
$OnlineTarget = 'sipfed.online.lync.com'
$Destination = $OnlineTarget
$MoveOptions = @{
    Target  = $Destination
    Confirm = $false
}

# The users of this wave: the identity the cmdlets are given (the SIP address, or the DN
# when another user holds the same SIP address), then SIP address, UPN and DN as exported.
$Users = @(
    @{ Id = 'sip:adrian.moore@contoso.com'; Sip = 'sip:adrian.moore@contoso.com'; Upn = 'adrian.moore@contoso.com'; Dn = 'CN=Adrián Moore,OU=Finance,OU=Staff,DC=contoso,DC=com' }
    @{ Id = 'sip:begona.wright@contoso.com'; Sip = 'sip:begona.wright@contoso.com'; Upn = 'begona.wright@contoso.com'; Dn = 'CN=Begoña Wright,OU=Support,OU=Staff,DC=contoso,DC=com' }
    @{ Id = 'sip:benoit.pena@contoso.com'; Sip = 'sip:benoit.pena@contoso.com'; Upn = 'benoit.pena@contoso.com'; Dn = 'CN=Benoît Peña,OU=Sales,OU=Staff,DC=contoso,DC=com' }
    @{ Id = 'sip:brenda.robinson@contoso.com'; Sip = 'sip:brenda.robinson@contoso.com'; Upn = 'brenda.robinson@contoso.com'; Dn = 'CN=Brenda Robinson,OU=Sales,OU=Staff,DC=contoso,DC=com' }
    @{ Id = 'sip:cecile.lefevre@contoso.com'; Sip = 'sip:cecile.lefevre@contoso.com'; Upn = 'cecile.lefevre@contoso.com'; Dn = 'CN=Cécile Lefèvre,OU=Staff,DC=contoso,DC=com' }
    @{ Id = 'sip:chloe.lefevre@contoso.com'; Sip = 'sip:chloe.lefevre@contoso.com'; Upn = 'chloe.lefevre@contoso.com'; Dn = 'CN=Chloé Lefèvre,OU=Support,OU=Staff,DC=contoso,DC=com' }
    @{ Id = 'sip:christine.bjork@contoso.com'; Sip = 'sip:christine.bjork@contoso.com'; Upn = 'christine.bjork@contoso.com'; Dn = 'CN=Christine Björk,OU=Sales,OU=Staff,DC=contoso,DC=com' }
    @{ Id = 'sip:christine.taylor@contoso.com'; Sip = 'sip:christine.taylor@contoso.com'; Upn = 'christine.taylor@contoso.com'; Dn = 'CN=Christine Taylor,OU=Sales,OU=Staff,DC=contoso,DC=com' }
    @{ Id = 'sip:daniel.davis@contoso.com'; Sip = 'sip:daniel.davis@contoso.com'; Upn = 'daniel.davis@contoso.com'; Dn = 'CN=Daniel Davis,OU=Sales,OU=Staff,DC=contoso,DC=com' }
    @{ Id = 'sip:donna.mitchell@contoso.com'; Sip = 'sip:donna.mitchell@contoso.com'; Upn = 'donna.mitchell@contoso.com'; Dn = 'CN=Donna Mitchell,OU=Sales,OU=Staff,DC=contoso,DC=com' }
    @{ Id = 'sip:dorothee.gunther@contoso.com'; Sip = 'sip:dorothee.gunther@contoso.com'; Upn = 'dorothee.gunther@contoso.com'; Dn = 'CN=Dorothée Günther,OU=Sales,OU=Staff,DC=contoso,DC=com' }
    @{ Id = 'sip:elizabeth.hughes@contoso.com'; Sip = 'sip:elizabeth.hughes@contoso.com'; Upn = 'elizabeth.hughes@contoso.com'; Dn = 'CN=Elizabeth Hughes,OU=Sales,OU=Staff,DC=contoso,DC=com' }
    @{ Id = 'sip:fatima.cook@contoso.com'; Sip = 'sip:fatima.cook@contoso.com'; Upn = 'fatima.cook@contoso.com'; Dn = 'CN=Fatima Cook,OU=Sales,OU=Staff,DC=contoso,DC=com' }
    @{ Id = 'sip:francois.ostergaard@contoso.com'; Sip = 'sip:francois.ostergaard@contoso.com'; Upn = 'francois.ostergaard@contoso.com'; Dn = 'CN=François Østergaard,OU=Staff,DC=contoso,DC=com' }
    @{ Id = 'sip:gary.munoz@contoso.com'; Sip = 'sip:gary.munoz@contoso.com'; Upn = 'gary.munoz@contoso.com'; Dn = 'CN=Gary Muñoz,OU=Staff,DC=contoso,DC=com' }
    @{ Id = 'sip:george.clark@contoso.com'; Sip = 'sip:george.clark@contoso.com'; Upn = 'george.clark@contoso.com'; Dn = 'CN=George Clark,OU=Sales,OU=Staff,DC=contoso,DC=com' }
    @{ Id = 'sip:jerome.anderson@contoso.com'; Sip = 'sip:jerome.anderson@contoso.com'; Upn = 'jerome.anderson@contoso.com'; Dn = 'CN=Jérôme Anderson,OU=Staff,DC=contoso,DC=com' }
    @{ Id = 'sip:jerome.rossi@contoso.com'; Sip = 'sip:jerome.rossi@contoso.com'; Upn = 'jerome.rossi@contoso.com'; Dn = 'CN=Jérôme Rossi,OU=Sales,OU=Staff,DC=contoso,DC=com' }
    @{ Id = 'sip:john.smith@contoso.com'; Sip = 'sip:john.smith@contoso.com'; Upn = 'john.smith@contoso.com'; Dn = 'CN=Smith\, John,OU=Staff,DC=contoso,DC=com' }
    @{ Id = 'sip:jonathan.adams@contoso.com'; Sip = 'sip:jonathan.adams@contoso.com'; Upn = 'jonathan.adams@contoso.com'; Dn = 'CN=Jonathan Adams,OU=Sales,OU=Staff,DC=contoso,DC=com' }
    @{ Id = 'sip:joshua.edwards@contoso.com'; Sip = 'sip:joshua.edwards@contoso.com'; Upn = 'joshua.edwards@contoso.com'; Dn = 'CN=Joshua Edwards,OU=Staff,DC=contoso,DC=com' }
    @{ Id = 'sip:jurgen.russo@contoso.com'; Sip = 'sip:jurgen.russo@contoso.com'; Upn = 'jurgen.russo@contoso.com'; Dn = 'CN=Jürgen Russo,OU=Sales,OU=Staff,DC=contoso,DC=com' }
    @{ Id = 'sip:justin.bonnet@contoso.com'; Sip = 'sip:justin.bonnet@contoso.com'; Upn = 'justin.bonnet@contoso.com'; Dn = 'CN=Justin Bonnet,OU=Support,OU=Staff,DC=contoso,DC=com' }
    @{ Id = 'sip:katarzyna.stewart@contoso.com'; Sip = 'sip:katarzyna.stewart@contoso.com'; Upn = 'katarzyna.stewart@contoso.com'; Dn = 'CN=Katarzyna Stewart,OU=Support,OU=Staff,DC=contoso,DC=com' }
    @{ Id = 'sip:kathleen.pena@contoso.com'; Sip = 'sip:kathleen.pena@contoso.com'; Upn = 'kathleen.pena@contoso.com'; Dn = 'CN=Kathleen Peña,OU=Support,OU=Staff,DC=contoso,DC=com' }
    @{ Id = 'sip:kevin.kohler@contoso.com'; Sip = 'sip:kevin.kohler@contoso.com'; Upn = 'kevin.kohler@contoso.com'; Dn = 'CN=Kevin Köhler,OU=Staff,DC=contoso,DC=com' }
    @{ Id = 'sip:landerson@contoso.com'; Sip = 'sip:landerson@contoso.com'; Upn = 'lucia.anderson@contoso.com'; Dn = 'CN=Lucía Anderson,OU=Finance,OU=Staff,DC=contoso,DC=com' }
    @{ Id = 'sip:linda.nakamura@contoso.com'; Sip = 'sip:linda.nakamura@contoso.com'; Upn = 'linda.nakamura@contoso.com'; Dn = 'CN=Linda Nakamura,OU=Engineering,OU=Staff,DC=contoso,DC=com' }
    @{ Id = 'sip:lisa.myers@contoso.com'; Sip = 'sip:lisa.myers@contoso.com'; Upn = 'lisa.myers@contoso.com'; Dn = 'CN=Lisa Myers,OU=Support,OU=Staff,DC=contoso,DC=com' }
    @{ Id = 'sip:lisa.russo@contoso.com'; Sip = 'sip:lisa.russo@contoso.com'; Upn = 'lisa.russo@contoso.com'; Dn = 'CN=Lisa Russo,OU=Staff,DC=contoso,DC=com' }
    @{ Id = 'sip:margaret.fernandez@contoso.com'; Sip = 'sip:margaret.fernandez@contoso.com'; Upn = 'margaret.fernandez@contoso.com'; Dn = 'CN=Margaret Fernández,OU=Support,OU=Staff,DC=contoso,DC=com' }
    @{ Id = 'sip:mark.collins@contoso.com'; Sip = 'sip:mark.collins@contoso.com'; Upn = 'mark.collins@contoso.com'; Dn = 'CN=Mark Collins,OU=Staff,DC=contoso,DC=com' }
    @{ Id = 'sip:min-jun.clark@contoso.com'; Sip = 'sip:min-jun.clark@contoso.com'; Upn = 'min-jun.clark@contoso.com'; Dn = 'CN=Min-jun Clark,OU=Sales,OU=Staff,DC=contoso,DC=com' }
    @{ Id = 'sip:min-jun.wright@contoso.com'; Sip = 'sip:min-jun.wright@contoso.com'; Upn = 'min-jun.wright@contoso.com'; Dn = 'CN=Min-jun Wright,OU=Support,OU=Staff,DC=contoso,DC=com' }
    @{ Id = 'sip:noel.stewart@contoso.com'; Sip = 'sip:noel.stewart@contoso.com'; Upn = 'noel.stewart@contoso.com'; Dn = 'CN=Noël Stewart,OU=Sales,OU=Staff,DC=contoso,DC=com' }
    @{ Id = 'sip:olga.vogel@contoso.com'; Sip = 'sip:olga.vogel@contoso.com'; Upn = 'olga.vogel@contoso.com'; Dn = 'CN=Olga Vogel,OU=Staff,DC=contoso,DC=com' }
    @{ Id = 'sip:oyvind.araujo@contoso.com'; Sip = 'sip:oyvind.araujo@contoso.com'; Upn = 'oyvind.araujo@contoso.com'; Dn = 'CN=Øyvind Araújo,OU=Staff,DC=contoso,DC=com' }
    @{ Id = 'sip:paul.murphy@contoso.com'; Sip = 'sip:paul.murphy@contoso.com'; Upn = 'paul.murphy@contoso.com'; Dn = 'CN=Paul Murphy,OU=Support,OU=Staff,DC=contoso,DC=com' }
    @{ Id = 'sip:paul.pelletier@contoso.com'; Sip = 'sip:paul.pelletier@contoso.com'; Upn = 'paul.pelletier@contoso.com'; Dn = 'CN=Paul Pelletier,OU=Staff,DC=contoso,DC=com' }
    @{ Id = 'sip:robert.tanaka@contoso.com'; Sip = 'sip:robert.tanaka@contoso.com'; Upn = 'robert.tanaka@contoso.com'; Dn = 'CN=Robert Tanaka,OU=Staff,DC=contoso,DC=com' }
    @{ Id = 'sip:ronald.bonnet@contoso.com'; Sip = 'sip:ronald.bonnet@contoso.com'; Upn = 'ronald.bonnet@contoso.com'; Dn = 'CN=Ronald Bonnet,OU=Support,OU=Staff,DC=contoso,DC=com' }
    @{ Id = 'sip:sarah.watson@contoso.com'; Sip = 'sip:sarah.watson@contoso.com'; Upn = 'sarah.watson@contoso.com'; Dn = 'CN=Sarah Watson,OU=Staff,DC=contoso,DC=com' }
    @{ Id = 'sip:sharon.cook@contoso.com'; Sip = 'sip:sharon.cook@contoso.com'; Upn = 'sharon.cook@contoso.com'; Dn = 'CN=Sharon Cook,OU=Sales,OU=Staff,DC=contoso,DC=com' }
    @{ Id = 'sip:sian.peterson@contoso.com'; Sip = 'sip:sian.peterson@contoso.com'; Upn = 'sian.peterson@contoso.com'; Dn = 'CN=Siân Peterson,OU=Sales,OU=Staff,DC=contoso,DC=com' }
    @{ Id = 'sip:soren.hughes@contoso.com'; Sip = 'sip:soren.hughes@contoso.com'; Upn = 'soren.hughes@contoso.com'; Dn = 'CN=Sören Hughes,OU=Sales,OU=Staff,DC=contoso,DC=com' }
    @{ Id = 'sip:soren.moore@contoso.com'; Sip = 'sip:soren.moore@contoso.com'; Upn = 'soren.moore@contoso.com'; Dn = 'CN=Sören Moore,OU=Staff,DC=contoso,DC=com' }
    @{ Id = 'sip:stephane.campbell@contoso.com'; Sip = 'sip:stephane.campbell@contoso.com'; Upn = 'stephane.campbell@contoso.com'; Dn = 'CN=Stéphane Campbell,OU=Sales,OU=Staff,DC=contoso,DC=com' }
    @{ Id = 'sip:therese.lambert@contoso.com'; Sip = 'sip:therese.lambert@contoso.com'; Upn = 'therese.lambert@contoso.com'; Dn = 'CN=Thérèse Lambert,OU=Sales,OU=Staff,DC=contoso,DC=com' }
    @{ Id = 'sip:tomas.jones@contoso.com'; Sip = 'sip:tomas.jones@contoso.com'; Upn = 'tomas.jones@contoso.com'; Dn = 'CN=Tomás Jones,OU=Staff,DC=contoso,DC=com' }
    @{ Id = 'sip:zoe.mercier@contoso.com'; Sip = 'sip:zoe.mercier@contoso.com'; Upn = 'zoe.mercier@contoso.com'; Dn = 'CN=Zoë Mercier,OU=Staff,DC=contoso,DC=com' }
)

# Skip a user already homed online: a rerun resumes.
$SkipStatus = 'already-online'
function Test-Done([string] $Id) {
    (Get-CsUser -Identity $Id).HostingProvider -eq $OnlineTarget
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
