<#
.SYNOPSIS
    Moves wave 01 (3 users) from Skype for Business Server to Teams Only.

.DESCRIPTION
    Written by hybridready from its assessment of the Active Directory exports.
    Runs on a Skype for Business Server admin box (SkypeForBusiness module), as a
    dry run (-WhatIf) unless -Apply is given. Users already homed online are skipped,
    so running it again resumes where the last run stopped. No credentials are kept
    here: pass -Credential (a Microsoft 365 admin) to run the moves in parallel jobs,
    or leave it out to sign in interactively (MFA), one move at a time.
    Undo with rollback-wave-01.ps1. The users are listed in wave-01.txt too.
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
    [string] $ReportFolder = (Join-Path $PSScriptRoot 'move-wave-01-reports')
)

Set-StrictMode -Version 3
$ErrorActionPreference = 'Stop'

$Wave = '01'
$OnlineTarget = 'sipfed.online.lync.com'
$Destination = $OnlineTarget
$MoveOptions = @{
    Target  = $Destination
    Confirm = $false
}

# The users of this wave: the identity the cmdlets are given (the SIP address, or the DN
# when another user holds the same SIP address), then SIP address, UPN and DN as exported.
$Users = @(
    @{ Id = 'sip:dorothee.mitchell@contoso.com'; Sip = 'sip:dorothee.mitchell@contoso.com'; Upn = 'dorothee.mitchell@contoso.com'; Dn = 'CN=Dorothée Mitchell,OU=Staff,DC=contoso,DC=com' }
    @{ Id = 'sip:emma.perez@contoso.com'; Sip = 'sip:emma.perez@contoso.com'; Upn = 'emma.perez@contoso.com'; Dn = 'CN=Emma Pérez,OU=Staff,DC=contoso,DC=com' }
    @{ Id = 'CN=Noël Lee,OU=Staff,DC=contoso,DC=com'; Sip = 'sip:noel.lee@contoso.com'; Upn = 'noel.lee@contoso.com'; Dn = 'CN=Noël Lee,OU=Staff,DC=contoso,DC=com' }
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
