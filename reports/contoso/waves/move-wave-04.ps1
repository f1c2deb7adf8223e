<#
.SYNOPSIS
    Moves wave 04 (50 users) from Skype for Business Server to Teams Only.

.DESCRIPTION
    Written by hybridready from its assessment of the Active Directory exports.
    Runs on a Skype for Business Server admin box (SkypeForBusiness module), as a
    dry run (-WhatIf) unless -Apply is given. Users already homed online are skipped,
    so running it again resumes where the last run stopped. No credentials are kept
    here: pass -Credential (a Microsoft 365 admin) to run the moves in parallel jobs,
    or leave it out to sign in interactively (MFA), one move at a time.
    Undo with rollback-wave-04.ps1. The users are listed in wave-04.txt too.
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
    [string] $ReportFolder = (Join-Path $PSScriptRoot 'move-wave-04-reports')
)

Set-StrictMode -Version 3
$ErrorActionPreference = 'Stop'

$Wave = '04'
$OnlineTarget = 'sipfed.online.lync.com'
$Destination = $OnlineTarget
$MoveOptions = @{
    Target  = $Destination
    Confirm = $false
}

# The users of this wave: the identity the cmdlets are given (the SIP address, or the DN
# when another user holds the same SIP address), then SIP address, UPN and DN as exported.
$Users = @(
    @{ Id = 'sip:agnes.lewis@contoso.com'; Sip = 'sip:agnes.lewis@contoso.com'; Upn = 'agnes.lewis@contoso.com'; Dn = 'CN=Agnès Lewis,OU=Finance,OU=Staff,DC=contoso,DC=com' }
    @{ Id = 'sip:andre.carter@contoso.com'; Sip = 'sip:andre.carter@contoso.com'; Upn = 'andre.carter@contoso.com'; Dn = 'CN=André Carter,OU=Engineering,OU=Staff,DC=contoso,DC=com' }
    @{ Id = 'sip:angela.gauthier@contoso.com'; Sip = 'sip:angela.gauthier@contoso.com'; Upn = 'angela.gauthier@contoso.com'; Dn = 'CN=Angela Gauthier,OU=Engineering,OU=Staff,DC=contoso,DC=com' }
    @{ Id = 'sip:asa.reed@contoso.com'; Sip = 'sip:asa.reed@contoso.com'; Upn = 'asa.reed@contoso.com'; Dn = 'CN=Åsa Reed,OU=Support,OU=Staff,DC=contoso,DC=com' }
    @{ Id = 'sip:ashley.myers@contoso.com'; Sip = 'sip:ashley.myers@contoso.com'; Upn = 'ashley.myers@contoso.com'; Dn = 'CN=Ashley Myers,OU=Staff,DC=contoso,DC=com' }
    @{ Id = 'sip:betty.hernandez@contoso.com'; Sip = 'sip:betty.hernandez@contoso.com'; Upn = 'betty.hernandez@contoso.com'; Dn = 'CN=Betty Hernández,OU=Engineering,OU=Staff,DC=contoso,DC=com' }
    @{ Id = 'sip:brian.nelson@contoso.com'; Sip = 'sip:brian.nelson@contoso.com'; Upn = 'brian.nelson@contoso.com'; Dn = 'CN=Brian Nelson,OU=Support,OU=Staff,DC=contoso,DC=com' }
    @{ Id = 'sip:carol.tremblay@contoso.com'; Sip = 'sip:carol.tremblay@contoso.com'; Upn = 'carol.tremblay@contoso.com'; Dn = 'CN=Carol Tremblay,OU=Engineering,OU=Staff,DC=contoso,DC=com' }
    @{ Id = 'sip:cecile.gonzalez@contoso.com'; Sip = 'sip:cecile.gonzalez@contoso.com'; Upn = 'cecile.gonzalez@contoso.com'; Dn = 'CN=Cécile González,OU=Finance,OU=Staff,DC=contoso,DC=com' }
    @{ Id = 'sip:christine.clark@contoso.com'; Sip = 'sip:christine.clark@contoso.com'; Upn = 'christine.clark@contoso.com'; Dn = 'CN=Christine Clark,OU=Engineering,OU=Staff,DC=contoso,DC=com' }
    @{ Id = 'sip:dorothee.odegard@contoso.com'; Sip = 'sip:dorothee.odegard@contoso.com'; Upn = 'dorothee.odegard@contoso.com'; Dn = 'CN=Dorothée Ødegård,OU=Finance,OU=Staff,DC=contoso,DC=com' }
    @{ Id = 'sip:edward.carter@contoso.com'; Sip = 'sip:edward.carter@contoso.com'; Upn = 'edward.carter@contoso.com'; Dn = 'CN=Edward Carter,OU=Engineering,OU=Staff,DC=contoso,DC=com' }
    @{ Id = 'sip:edward.thomas@contoso.com'; Sip = 'sip:edward.thomas@contoso.com'; Upn = 'edward.thomas@contoso.com'; Dn = 'CN=Edward Thomas,OU=Engineering,OU=Staff,DC=contoso,DC=com' }
    @{ Id = 'sip:fatima.bjork@contoso.com'; Sip = 'sip:fatima.bjork@contoso.com'; Upn = 'fatima.bjork@contoso.com'; Dn = 'CN=Fatima Björk,OU=Staff,DC=contoso,DC=com' }
    @{ Id = 'sip:gary.pelletier@contoso.com'; Sip = 'sip:gary.pelletier@contoso.com'; Upn = 'gary.pelletier@contoso.com'; Dn = 'CN=Gary Pelletier,OU=Support,OU=Staff,DC=contoso,DC=com' }
    @{ Id = 'sip:george.gonzalez@contoso.com'; Sip = 'sip:george.gonzalez@contoso.com'; Upn = 'george.gonzalez@contoso.com'; Dn = 'CN=George González,OU=Finance,OU=Staff,DC=contoso,DC=com' }
    @{ Id = 'sip:helen.chevalier@contoso.com'; Sip = 'sip:helen.chevalier@contoso.com'; Upn = 'helen.chevalier@contoso.com'; Dn = 'CN=Helen Chevalier,OU=Engineering,OU=Staff,DC=contoso,DC=com' }
    @{ Id = 'sip:hiroshi.parker@contoso.com'; Sip = 'sip:hiroshi.parker@contoso.com'; Upn = 'hiroshi.parker@contoso.com'; Dn = 'CN=Hiroshi Parker,OU=Sales,OU=Staff,DC=contoso,DC=com' }
    @{ Id = 'sip:jacob.kowalski@contoso.com'; Sip = 'sip:jacob.kowalski@contoso.com'; Upn = 'jacob.kowalski@contoso.com'; Dn = 'CN=Jacob Kowalski,OU=Staff,DC=contoso,DC=com' }
    @{ Id = 'sip:james.adams@contoso.com'; Sip = 'sip:james.adams@contoso.com'; Upn = 'james.adams@contoso.com'; Dn = 'CN=James Adams,OU=Engineering,OU=Staff,DC=contoso,DC=com' }
    @{ Id = 'sip:jennifer.bohm@contoso.com'; Sip = 'sip:jennifer.bohm@contoso.com'; Upn = 'jennifer.bohm@contoso.com'; Dn = 'CN=Jennifer Böhm,OU=Staff,DC=contoso,DC=com' }
    @{ Id = 'sip:jennifer.pena@contoso.com'; Sip = 'sip:jennifer.pena@contoso.com'; Upn = 'jennifer.pena@contoso.com'; Dn = 'CN=Jennifer Peña,OU=Engineering,OU=Staff,DC=contoso,DC=com' }
    @{ Id = 'sip:joel.lee@contoso.com'; Sip = 'sip:joel.lee@contoso.com'; Upn = 'joel.lee@contoso.com'; Dn = 'CN=Joël Lee,OU=Finance,OU=Staff,DC=contoso,DC=com' }
    @{ Id = 'sip:joel.taylor@contoso.com'; Sip = 'sip:joel.taylor@contoso.com'; Upn = 'joel.taylor@contoso.com'; Dn = 'CN=Joël Taylor,OU=Engineering,OU=Staff,DC=contoso,DC=com' }
    @{ Id = 'sip:jonathan.stewart@contoso.com'; Sip = 'sip:jonathan.stewart@contoso.com'; Upn = 'jonathan.stewart@contoso.com'; Dn = 'CN=Jonathan Stewart,OU=Finance,OU=Staff,DC=contoso,DC=com' }
    @{ Id = 'sip:katherine.vogel@contoso.com'; Sip = 'sip:katherine.vogel@contoso.com'; Upn = 'katherine.vogel@contoso.com'; Dn = 'CN=Katherine Vogel,OU=Staff,DC=contoso,DC=com' }
    @{ Id = 'sip:kwame.campbell@contoso.com'; Sip = 'sip:kwame.campbell@contoso.com'; Upn = 'kwame.campbell@contoso.com'; Dn = 'CN=Kwame Campbell,OU=Engineering,OU=Staff,DC=contoso,DC=com' }
    @{ Id = 'sip:kwame.gomez@contoso.com'; Sip = 'sip:kwame.gomez@contoso.com'; Upn = 'kwame.gomez@contoso.com'; Dn = 'CN=Kwame Gómez,OU=Engineering,OU=Staff,DC=contoso,DC=com' }
    @{ Id = 'sip:kwame.ostergaard@contoso.com'; Sip = 'sip:kwame.ostergaard@contoso.com'; Upn = 'kwame.ostergaard@contoso.com'; Dn = 'CN=Kwame Østergaard,OU=Staff,DC=contoso,DC=com' }
    @{ Id = 'sip:laura.goncalves@contoso.com'; Sip = 'sip:laura.goncalves@contoso.com'; Upn = 'laura.goncalves@contoso.com'; Dn = 'CN=Laura Gonçalves,OU=Staff,DC=contoso,DC=com' }
    @{ Id = 'sip:laura.russo@contoso.com'; Sip = 'sip:laura.russo@contoso.com'; Upn = 'laura.russo@contoso.com'; Dn = 'CN=Laura Russo,OU=Engineering,OU=Staff,DC=contoso,DC=com' }
    @{ Id = 'sip:lea.gauthier@contoso.com'; Sip = 'sip:lea.gauthier@contoso.com'; Upn = 'lea.gauthier@contoso.com'; Dn = 'CN=Léa Gauthier,OU=Sales,OU=Staff,DC=contoso,DC=com' }
    @{ Id = 'sip:linda.vogel@contoso.com'; Sip = 'sip:linda.vogel@contoso.com'; Upn = 'linda.vogel@contoso.com'; Dn = 'CN=Linda Vogel,OU=Engineering,OU=Staff,DC=contoso,DC=com' }
    @{ Id = 'sip:lisa.brown@contoso.com'; Sip = 'sip:lisa.brown@contoso.com'; Upn = 'lisa.brown@contoso.com'; Dn = 'CN=Lisa Brown,OU=Staff,DC=contoso,DC=com' }
    @{ Id = 'sip:noel.conceicao@contoso.com'; Sip = 'sip:noel.conceicao@contoso.com'; Upn = 'noel.conceicao@contoso.com'; Dn = 'CN=Noël Conceição,OU=Engineering,OU=Staff,DC=contoso,DC=com' }
    @{ Id = 'sip:olafur.kim@contoso.com'; Sip = 'sip:olafur.kim@contoso.com'; Upn = 'olafur.kim@contoso.com'; Dn = 'CN=Ólafur Kim,OU=Engineering,OU=Staff,DC=contoso,DC=com' }
    @{ Id = 'sip:olusegun.lovland@contoso.com'; Sip = 'sip:olusegun.lovland@contoso.com'; Upn = 'olusegun.lovland@contoso.com'; Dn = 'CN=Olusegun Løvland,OU=Engineering,OU=Staff,DC=contoso,DC=com' }
    @{ Id = 'sip:oyvind.kohler@contoso.com'; Sip = 'sip:oyvind.kohler@contoso.com'; Upn = 'oyvind.kohler@contoso.com'; Dn = 'CN=Øyvind Köhler,OU=Staff,DC=contoso,DC=com' }
    @{ Id = 'sip:pamela.wright@contoso.com'; Sip = 'sip:pamela.wright@contoso.com'; Upn = 'pamela.wright@contoso.com'; Dn = 'CN=Pamela Wright,OU=Staff,DC=contoso,DC=com' }
    @{ Id = 'sip:patricia.bjork@contoso.com'; Sip = 'sip:patricia.bjork@contoso.com'; Upn = 'patricia.bjork@contoso.com'; Dn = 'CN=Patricia Björk,OU=Engineering,OU=Staff,DC=contoso,DC=com' }
    @{ Id = 'sip:patricia.jager@contoso.com'; Sip = 'sip:patricia.jager@contoso.com'; Upn = 'patricia.jager@contoso.com'; Dn = 'CN=Patricia Jäger,OU=Sales,OU=Staff,DC=contoso,DC=com' }
    @{ Id = 'sip:rebecca.jager@contoso.com'; Sip = 'sip:rebecca.jager@contoso.com'; Upn = 'rebecca.jager@contoso.com'; Dn = 'CN=Rebecca Jäger,OU=Engineering,OU=Staff,DC=contoso,DC=com' }
    @{ Id = 'sip:samuel.liu@contoso.com'; Sip = 'sip:samuel.liu@contoso.com'; Upn = 'samuel.liu@contoso.com'; Dn = 'CN=Samuel Liu,OU=Support,OU=Staff,DC=contoso,DC=com' }
    @{ Id = 'sip:sean.tran@contoso.com'; Sip = 'sip:sean.tran@contoso.com'; Upn = 'sean.tran@contoso.com'; Dn = 'CN=Seán Tran,OU=Sales,OU=Staff,DC=contoso,DC=com' }
    @{ Id = 'sip:sian.zhang@contoso.com'; Sip = 'sip:sian.zhang@contoso.com'; Upn = 'sian.zhang@contoso.com'; Dn = 'CN=Siân Zhang,OU=Engineering,OU=Staff,DC=contoso,DC=com' }
    @{ Id = 'sip:soren.rossi@contoso.com'; Sip = 'sip:soren.rossi@contoso.com'; Upn = 'soren.rossi@contoso.com'; Dn = 'CN=Sören Rossi,OU=Staff,DC=contoso,DC=com' }
    @{ Id = 'sip:stephane.ibanez@contoso.com'; Sip = 'sip:stephane.ibanez@contoso.com'; Upn = 'stephane.ibanez@contoso.com'; Dn = 'CN=Stéphane Ibáñez,OU=Finance,OU=Staff,DC=contoso,DC=com' }
    @{ Id = 'sip:stephane.ostergaard@contoso.com'; Sip = 'sip:stephane.ostergaard@contoso.com'; Upn = 'stephane.ostergaard@contoso.com'; Dn = 'CN=Stéphane Østergaard,OU=Sales,OU=Staff,DC=contoso,DC=com' }
    @{ Id = 'sip:thora.parker@contoso.com'; Sip = 'sip:thora.parker@contoso.com'; Upn = 'thora.parker@contoso.com'; Dn = 'CN=Þóra Parker,OU=Engineering,OU=Staff,DC=contoso,DC=com' }
    @{ Id = 'sip:yuki.campbell@contoso.com'; Sip = 'sip:yuki.campbell@contoso.com'; Upn = 'yuki.campbell@contoso.com'; Dn = 'CN=Yuki Campbell,OU=Staff,DC=contoso,DC=com' }
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
