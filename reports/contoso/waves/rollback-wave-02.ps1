<#
.SYNOPSIS
    Moves the users of wave 02 (50 users) back from Teams Only to Skype for Business
    Server.

.DESCRIPTION
    Written by hybridready beside move-wave-02.ps1, to undo it. Runs on a Skype
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
    [string] $ReportFolder = (Join-Path $PSScriptRoot 'rollback-wave-02-reports')
)

Set-StrictMode -Version 3
$ErrorActionPreference = 'Stop'

$Wave = '02'
$OnlineTarget = 'sipfed.online.lync.com'
$Destination = $RegistrarPool
$MoveOptions = @{
    Target  = $Destination
    Confirm = $false
}

# The users of this wave: the identity the cmdlets are given (the SIP address, or the DN
# when another user holds the same SIP address), then SIP address, UPN and DN as exported.
$Users = @(
    @{ Id = 'sip:adrian.mercier@fabrikam.com'; Sip = 'sip:adrian.mercier@fabrikam.com'; Upn = 'adrian.mercier@fabrikam.com'; Dn = 'CN=Adrián Mercier,OU=Engineering,OU=Staff,DC=fabrikam,DC=com' }
    @{ Id = 'sip:amara.turner@fabrikam.com'; Sip = 'sip:amara.turner@fabrikam.com'; Upn = 'amara.turner@fabrikam.com'; Dn = 'CN=Amara Turner,OU=Support,OU=Staff,DC=fabrikam,DC=com' }
    @{ Id = 'sip:angel.brown@fabrikam.com'; Sip = 'sip:angel.brown@fabrikam.com'; Upn = 'angel.brown@fabrikam.com'; Dn = 'CN=Ángel Brown,OU=Staff,DC=fabrikam,DC=com' }
    @{ Id = 'sip:angel.lefevre@fabrikam.com'; Sip = 'sip:angel.lefevre@fabrikam.com'; Upn = 'angel.lefevre@fabrikam.com'; Dn = 'CN=Ángel Lefèvre,OU=Engineering,OU=Staff,DC=fabrikam,DC=com' }
    @{ Id = 'sip:anna.pena@fabrikam.com'; Sip = 'sip:anna.pena@fabrikam.com'; Upn = 'anna.pena@fabrikam.com'; Dn = 'CN=Anna Peña,OU=Support,OU=Staff,DC=fabrikam,DC=com' }
    @{ Id = 'sip:asa.shah@fabrikam.com'; Sip = 'sip:asa.shah@fabrikam.com'; Upn = 'asa.shah@fabrikam.com'; Dn = 'CN=Åsa Shah,OU=Staff,DC=fabrikam,DC=com' }
    @{ Id = 'sip:aurelie.sorensen@fabrikam.com'; Sip = 'sip:aurelie.sorensen@fabrikam.com'; Upn = 'aurelie.sorensen@fabrikam.com'; Dn = 'CN=Aurélie Sørensen,OU=Contractors,OU=Staff,DC=fabrikam,DC=com' }
    @{ Id = 'sip:charles.vogel@fabrikam.com'; Sip = 'sip:charles.vogel@fabrikam.com'; Upn = 'charles.vogel@fabrikam.com'; Dn = 'CN=Charles Vogel,OU=Staff,DC=fabrikam,DC=com' }
    @{ Id = 'sip:chloe.cote@fabrikam.com'; Sip = 'sip:chloe.cote@fabrikam.com'; Upn = 'chloe.cote@fabrikam.com'; Dn = 'CN=Chloé Côté,OU=Contractors,OU=Staff,DC=fabrikam,DC=com' }
    @{ Id = 'sip:christine.smith@fabrikam.com'; Sip = 'sip:christine.smith@fabrikam.com'; Upn = 'christine.smith@fabrikam.com'; Dn = 'CN=Christine Smith,OU=Engineering,OU=Staff,DC=fabrikam,DC=com' }
    @{ Id = 'sip:david.wang@fabrikam.com'; Sip = 'sip:david.wang@fabrikam.com'; Upn = 'david.wang@fabrikam.com'; Dn = 'CN=David Wang,OU=Engineering,OU=Staff,DC=fabrikam,DC=com' }
    @{ Id = 'sip:elizabeth.gray@fabrikam.com'; Sip = 'sip:elizabeth.gray@fabrikam.com'; Upn = 'elizabeth.gray@fabrikam.com'; Dn = 'CN=Elizabeth Gray,OU=Engineering,OU=Staff,DC=fabrikam,DC=com' }
    @{ Id = 'sip:elizabeth.odegard@fabrikam.com'; Sip = 'sip:elizabeth.odegard@fabrikam.com'; Upn = 'elizabeth.odegard@fabrikam.com'; Dn = 'CN=Elizabeth Ødegård,OU=Support,OU=Staff,DC=fabrikam,DC=com' }
    @{ Id = 'sip:gary.morris@fabrikam.com'; Sip = 'sip:gary.morris@fabrikam.com'; Upn = 'gary.morris@fabrikam.com'; Dn = 'CN=Gary Morris,OU=Staff,DC=fabrikam,DC=com' }
    @{ Id = 'sip:george.russo@fabrikam.com'; Sip = 'sip:george.russo@fabrikam.com'; Upn = 'george.russo@fabrikam.com'; Dn = 'CN=George Russo,OU=Finance,OU=Staff,DC=fabrikam,DC=com' }
    @{ Id = 'sip:helene.hoffmann@fabrikam.com'; Sip = 'sip:helene.hoffmann@fabrikam.com'; Upn = 'helene.hoffmann@fabrikam.com'; Dn = 'CN=Hélène Hoffmann,OU=Sales,OU=Staff,DC=fabrikam,DC=com' }
    @{ Id = 'sip:hiroshi.singh@fabrikam.com'; Sip = 'sip:hiroshi.singh@fabrikam.com'; Upn = 'hiroshi.singh@fabrikam.com'; Dn = 'CN=Hiroshi Singh,OU=Engineering,OU=Staff,DC=fabrikam,DC=com' }
    @{ Id = 'sip:inaki.patel@fabrikam.com'; Sip = 'sip:inaki.patel@fabrikam.com'; Upn = 'inaki.patel@fabrikam.com'; Dn = 'CN=Iñaki Patel,OU=Sales,OU=Staff,DC=fabrikam,DC=com' }
    @{ Id = 'sip:jacob.campbell@fabrikam.com'; Sip = 'sip:jacob.campbell@fabrikam.com'; Upn = 'jacob.campbell@fabrikam.com'; Dn = 'CN=Jacob Campbell,OU=Finance,OU=Staff,DC=fabrikam,DC=com' }
    @{ Id = 'sip:jason.moore@fabrikam.com'; Sip = 'sip:jason.moore@fabrikam.com'; Upn = 'jason.moore@fabrikam.com'; Dn = 'CN=Jason Moore,OU=Support,OU=Staff,DC=fabrikam,DC=com' }
    @{ Id = 'sip:jeffrey.sorensen@fabrikam.com'; Sip = 'sip:jeffrey.sorensen@fabrikam.com'; Upn = 'jeffrey.sorensen@fabrikam.com'; Dn = 'CN=Jeffrey Sørensen,OU=Finance,OU=Staff,DC=fabrikam,DC=com' }
    @{ Id = 'sip:jeffrey.wood@fabrikam.com'; Sip = 'sip:jeffrey.wood@fabrikam.com'; Upn = 'jeffrey.wood@fabrikam.com'; Dn = 'CN=Jeffrey Wood,OU=Engineering,OU=Staff,DC=fabrikam,DC=com' }
    @{ Id = 'sip:jennifer.bell@fabrikam.com'; Sip = 'sip:jennifer.bell@fabrikam.com'; Upn = 'jennifer.bell@fabrikam.com'; Dn = 'CN=Jennifer Bell,OU=Engineering,OU=Staff,DC=fabrikam,DC=com' }
    @{ Id = 'sip:jessica.lee@fabrikam.com'; Sip = 'sip:jessica.lee@fabrikam.com'; Upn = 'jessica.lee@fabrikam.com'; Dn = 'CN=Jessica Lee,OU=Support,OU=Staff,DC=fabrikam,DC=com' }
    @{ Id = 'sip:john.ibanez@contoso.com'; Sip = 'sip:john.ibanez@contoso.com'; Upn = 'john.ibanez@contoso.com'; Dn = 'CN=John Ibáñez,OU=Engineering,OU=Staff,DC=contoso,DC=com' }
    @{ Id = 'sip:john.king@fabrikam.com'; Sip = 'sip:john.king@fabrikam.com'; Upn = 'john.king@fabrikam.com'; Dn = 'CN=John King,OU=Finance,OU=Staff,DC=fabrikam,DC=com' }
    @{ Id = 'sip:john.mitchell@fabrikam.com'; Sip = 'sip:john.mitchell@fabrikam.com'; Upn = 'john.mitchell@fabrikam.com'; Dn = 'CN=John Mitchell,OU=Staff,DC=fabrikam,DC=com' }
    @{ Id = 'sip:katarzyna.carter@fabrikam.com'; Sip = 'sip:katarzyna.carter@fabrikam.com'; Upn = 'katarzyna.carter@fabrikam.com'; Dn = 'CN=Katarzyna Carter,OU=Staff,DC=fabrikam,DC=com' }
    @{ Id = 'sip:laura.tran@fabrikam.com'; Sip = 'sip:laura.tran@fabrikam.com'; Upn = 'laura.tran@fabrikam.com'; Dn = 'CN=Laura Tran,OU=Sales,OU=Staff,DC=fabrikam,DC=com' }
    @{ Id = 'sip:layla.munoz@fabrikam.com'; Sip = 'sip:layla.munoz@fabrikam.com'; Upn = 'layla.munoz@fabrikam.com'; Dn = 'CN=Layla Muñoz,OU=Contractors,OU=Staff,DC=fabrikam,DC=com' }
    @{ Id = 'sip:lisa.liu@fabrikam.com'; Sip = 'sip:lisa.liu@fabrikam.com'; Upn = 'lisa.liu@fabrikam.com'; Dn = 'CN=Lisa Liu,OU=Support,OU=Staff,DC=fabrikam,DC=com' }
    @{ Id = 'sip:lisa.muller@fabrikam.com'; Sip = 'sip:lisa.muller@fabrikam.com'; Upn = 'lisa.muller@fabrikam.com'; Dn = 'CN=Lisa Müller,OU=Sales,OU=Staff,DC=fabrikam,DC=com' }
    @{ Id = 'sip:marten.jackson@fabrikam.com'; Sip = 'sip:marten.jackson@fabrikam.com'; Upn = 'marten.jackson@fabrikam.com'; Dn = 'CN=Mårten Jackson,OU=Engineering,OU=Staff,DC=fabrikam,DC=com' }
    @{ Id = 'sip:marten.young@fabrikam.com'; Sip = 'sip:marten.young@fabrikam.com'; Upn = 'marten.young@fabrikam.com'; Dn = 'CN=Mårten Young,OU=Engineering,OU=Staff,DC=fabrikam,DC=com' }
    @{ Id = 'sip:mei.nguyen@fabrikam.com'; Sip = 'sip:mei.nguyen@fabrikam.com'; Upn = 'mei.nguyen@fabrikam.com'; Dn = 'CN=Mei Nguyen,OU=Finance,OU=Staff,DC=fabrikam,DC=com' }
    @{ Id = 'sip:michelle.lopez@fabrikam.com'; Sip = 'sip:michelle.lopez@fabrikam.com'; Upn = 'michelle.lopez@fabrikam.com'; Dn = 'CN=Michelle López,OU=Staff,DC=fabrikam,DC=com' }
    @{ Id = 'sip:noel.simoes@fabrikam.com'; Sip = 'sip:noel.simoes@fabrikam.com'; Upn = 'noel.simoes@fabrikam.com'; Dn = 'CN=Noël Simões,OU=Engineering,OU=Staff,DC=fabrikam,DC=com' }
    @{ Id = 'sip:olafur.mercier@fabrikam.com'; Sip = 'sip:olafur.mercier@fabrikam.com'; Upn = 'olafur.mercier@fabrikam.com'; Dn = 'CN=Ólafur Mercier,OU=Finance,OU=Staff,DC=fabrikam,DC=com' }
    @{ Id = 'sip:omar.girard@fabrikam.com'; Sip = 'sip:omar.girard@fabrikam.com'; Upn = 'omar.girard@fabrikam.com'; Dn = 'CN=Omar Girard,OU=Sales,OU=Staff,DC=fabrikam,DC=com' }
    @{ Id = 'sip:pamela.bailey@fabrikam.com'; Sip = 'sip:pamela.bailey@fabrikam.com'; Upn = 'pamela.bailey@fabrikam.com'; Dn = 'CN=Pamela Bailey,OU=Staff,DC=fabrikam,DC=com' }
    @{ Id = 'sip:rebecca.kim@fabrikam.com'; Sip = 'sip:rebecca.kim@fabrikam.com'; Upn = 'rebecca.kim@fabrikam.com'; Dn = 'CN=Rebecca Kim,OU=Engineering,OU=Staff,DC=fabrikam,DC=com' }
    @{ Id = 'sip:rebecca.novak@fabrikam.com'; Sip = 'sip:rebecca.novak@fabrikam.com'; Upn = 'rebecca.novak@fabrikam.com'; Dn = 'CN=Rebecca Novak,OU=Staff,DC=fabrikam,DC=com' }
    @{ Id = 'sip:robert.wang@fabrikam.com'; Sip = 'sip:robert.wang@fabrikam.com'; Upn = 'robert.wang@fabrikam.com'; Dn = 'CN=Robert Wang,OU=Staff,DC=fabrikam,DC=com' }
    @{ Id = 'sip:ryan.white@fabrikam.com'; Sip = 'sip:ryan.white@fabrikam.com'; Upn = 'ryan.white@fabrikam.com'; Dn = 'CN=Ryan White,OU=Finance,OU=Staff,DC=fabrikam,DC=com' }
    @{ Id = 'sip:sian.lambert@fabrikam.com'; Sip = 'sip:sian.lambert@fabrikam.com'; Upn = 'sian.lambert@fabrikam.com'; Dn = 'CN=Siân Lambert,OU=Support,OU=Staff,DC=fabrikam,DC=com' }
    @{ Id = 'sip:sofia.nakamura@fabrikam.com'; Sip = 'sip:sofia.nakamura@fabrikam.com'; Upn = 'sofia.nakamura@fabrikam.com'; Dn = 'CN=Sofía Nakamura,OU=Engineering,OU=Staff,DC=fabrikam,DC=com' }
    @{ Id = 'sip:susan.tremblay@fabrikam.com'; Sip = 'sip:susan.tremblay@fabrikam.com'; Upn = 'susan.tremblay@fabrikam.com'; Dn = 'CN=Susan Tremblay,OU=Staff,DC=fabrikam,DC=com' }
    @{ Id = 'sip:therese.baker@fabrikam.com'; Sip = 'sip:therese.baker@fabrikam.com'; Upn = 'therese.baker@fabrikam.com'; Dn = 'CN=Thérèse Baker,OU=Sales,OU=Staff,DC=fabrikam,DC=com' }
    @{ Id = 'sip:thora.jorgensen@fabrikam.com'; Sip = 'sip:thora.jorgensen@fabrikam.com'; Upn = 'thora.jorgensen@fabrikam.com'; Dn = 'CN=Þóra Jørgensen,OU=Support,OU=Staff,DC=fabrikam,DC=com' }
    @{ Id = 'sip:zoe.moore@fabrikam.com'; Sip = 'sip:zoe.moore@fabrikam.com'; Upn = 'zoe.moore@fabrikam.com'; Dn = 'CN=Zoë Moore,OU=Engineering,OU=Staff,DC=fabrikam,DC=com' }
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
