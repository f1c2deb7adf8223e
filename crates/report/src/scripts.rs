//! The runbooks of the move waves, in `waves/`: for each wave `NN` (00 is the pilot)
//!
//! - `wave-NN.txt`: its users' SIP addresses in Move-CsUser's `-UserList` format
//!   (`sip:a@x,sip:b@x`, one line);
//! - `move-wave-NN.ps1`: moves them to the hosting provider (Teams Only) with Move-CsUser;
//! - `rollback-wave-NN.ps1`: moves those of them that are online back to the on-premises
//!   registrar pool.
//!
//! The two scripts share one body and differ only in where they move users and whom they skip.
//! They are plain PowerShell a reviewer can read in one sitting: a dry run (`-WhatIf`) unless
//! `-Apply` is given; no credentials in the file (`-Credential` is a parameter; without it moves
//! run one at a time, so an interactive or MFA sign-in works); moves run `parallel` at a time as
//! background jobs with `retries` retries of the failed ones (BatchMoveToTeams' 25 and 3);
//! `-Report` per user; users already where the script moves them are skipped, so a rerun resumes
//! where the last one stopped; a results CSV per run.
//!
//! Every value that comes from the directory or the scenario is a single-quoted PowerShell
//! literal ([`quote`]): nothing in it is expanded or run, whatever the customer typed.

use hybridready_assessment::{Assessment, MoveSettings, Wave};

/// `s` as a PowerShell single-quoted string literal. Inside one, only a single quote is special,
/// escaped by doubling it; PowerShell also takes the typographic quotes ‘ ’ ‚ ‛ as single
/// quotes, so they are doubled too.
pub fn quote(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('\'');
    for c in s.chars() {
        if matches!(c, '\'' | '\u{2018}' | '\u{2019}' | '\u{201A}' | '\u{201B}') {
            out.push(c);
        }
        out.push(c);
    }
    out.push('\'');
    out
}

/// The SIP URI a script and a user list name a user by: `sip:` and the address, or the UPN when
/// the export has no SIP address.
fn sip_uri(sip: &str, upn: &str) -> String {
    let bare = hybridready_assessment::strip_sip(sip);
    if bare.is_empty() {
        upn.to_string()
    } else {
        format!("sip:{bare}")
    }
}

/// Hands each file of the `waves/` folder to `write` (file name, bytes) as soon as it is made,
/// the waves side by side on every core: a million users' scripts are hundreds of megabytes,
/// never held at once.
pub fn write_wave_files<E: Send>(
    a: &Assessment,
    write: impl Fn(&str, &[u8]) -> Result<(), E> + Sync,
) -> Result<(), E> {
    use rayon::prelude::*;
    let last = a.waves.waves.last().map_or(0, |w| w.number);
    let width = last.to_string().len().max(2);
    let shared = shared_sips(a);
    a.waves
        .waves
        .par_iter()
        .filter(|w| !w.users.is_empty())
        .try_for_each(|wave| {
            let nn = format!("{:0width$}", wave.number);
            let users = wave_users(a, wave, &shared);
            let list = users
                .iter()
                .map(|u| u.uri.as_str())
                .collect::<Vec<_>>()
                .join(",");
            write(&format!("wave-{nn}.txt"), format!("{list}\r\n").as_bytes())?;
            for direction in [Direction::Move, Direction::Rollback] {
                write(
                    &format!("{}-wave-{nn}.ps1", direction.prefix()),
                    // With a byte-order mark: Windows PowerShell 5.1 reads a script without one
                    // as the ANSI code page, and would mangle every accented name in it.
                    format!("\u{FEFF}{}", script(a, wave, &nn, &users, direction)).as_bytes(),
                )?;
            }
            Ok(())
        })
}

struct ScriptUser {
    uri: String,
    upn: String,
    dn: String,
    /// What the scripts give Move-CsUser and Get-CsUser as `-Identity`: the SIP URI, or the DN
    /// when another user in the waves holds the same SIP address (SIP-DUP), which would make
    /// the SIP address ambiguous.
    id: String,
}

/// The SIP addresses (lowercase) held by more than one user in the waves.
fn shared_sips(a: &Assessment) -> std::collections::HashSet<String> {
    let mut seen = std::collections::HashSet::new();
    let mut shared = std::collections::HashSet::new();
    for u in a.waves.waves.iter().flat_map(|w| &w.users) {
        if let Some(i) = a.objects.get(u.user) {
            let sip = hybridready_assessment::strip_sip(&i.sip).to_lowercase();
            if !sip.is_empty() && !seen.insert(sip.clone()) {
                shared.insert(sip);
            }
        }
    }
    shared
}

fn wave_users(
    a: &Assessment,
    wave: &Wave,
    shared: &std::collections::HashSet<String>,
) -> Vec<ScriptUser> {
    wave.users
        .iter()
        .map(|u| match a.objects.get(u.user) {
            Some(i) => {
                let uri = sip_uri(&i.sip, &i.upn);
                let ambiguous =
                    shared.contains(&hybridready_assessment::strip_sip(&i.sip).to_lowercase());
                ScriptUser {
                    id: if ambiguous && !i.dn.is_empty() {
                        i.dn.clone()
                    } else {
                        uri.clone()
                    },
                    uri,
                    upn: i.upn.clone(),
                    dn: i.dn.clone(),
                }
            }
            None => {
                let label = a.objects.label(u.user);
                ScriptUser {
                    id: label.clone(),
                    uri: label,
                    upn: String::new(),
                    dn: String::new(),
                }
            }
        })
        .collect()
}

#[derive(Clone, Copy, PartialEq)]
enum Direction {
    /// On-premises to the hosting provider.
    Move,
    /// Back to the on-premises registrar pool.
    Rollback,
}

impl Direction {
    fn prefix(self) -> &'static str {
        match self {
            Direction::Move => "move",
            Direction::Rollback => "rollback",
        }
    }
}

/// One wave's script. CRLF line ends: Windows PowerShell 5.1 reads either, Notepad too, and a
/// reviewer's diff of two runs stays clean.
fn script(
    a: &Assessment,
    wave: &Wave,
    nn: &str,
    users: &[ScriptUser],
    direction: Direction,
) -> String {
    let m: &MoveSettings = &a.waves.moves;
    let mut s = String::with_capacity(2048 + users.len() * 160);
    let count = users.len();
    let plural = if count == 1 { "" } else { "s" };
    let what = if wave.number == 0 {
        format!("the pilot, wave {nn} ({count} user{plural}),")
    } else {
        format!("wave {nn} ({count} user{plural})")
    };
    match direction {
        Direction::Move => {
            s += &format!(
                "<#\n.SYNOPSIS\n    Moves {what} from Skype for Business Server to Teams Only.\n\n"
            );
            s += ".DESCRIPTION\n";
            s +=
                "    Written by hybridready from its assessment of the Active Directory exports.\n";
            s += "    Runs on a Skype for Business Server admin box (SkypeForBusiness module), as a\n";
            s += "    dry run (-WhatIf) unless -Apply is given. Users already homed online are skipped,\n";
            s += "    so running it again resumes where the last run stopped. No credentials are kept\n";
            s += "    here: pass -Credential (a Microsoft 365 admin) to run the moves in parallel jobs,\n";
            s += "    or leave it out to sign in interactively (MFA), one move at a time.\n";
            s += &format!(
                "    Undo with rollback-wave-{nn}.ps1. The users are listed in wave-{nn}.txt too.\n"
            );
            s +=
                "    Meetings convert about 90 minutes after a move; moved users must sign in to\n";
            s += "    Teams within 30 days to keep their contacts.\n";
        }
        Direction::Rollback => {
            s += &format!(
                "<#\n.SYNOPSIS\n    Moves the users of {what} back from Teams Only to Skype for Business\n    Server.\n\n"
            );
            s += ".DESCRIPTION\n";
            s += "    Written by hybridready beside move-wave-";
            s += nn;
            s += ".ps1, to undo it. Runs on a Skype\n";
            s += "    for Business Server admin box, as a dry run (-WhatIf) unless -Apply is given.\n";
            s += "    Only users homed online are moved back; the others are skipped, so running it\n";
            s += "    again resumes. Moves back from the cloud no longer bring contacts back (since\n";
            s += "    November 2023), and each moved-back user must exist in on-premises AD.\n";
        }
    }
    s += "\n.LINK\n    https://learn.microsoft.com/powershell/module/skype/move-csuser\n#>\n";
    s += "#Requires -Version 5.1\n";
    s += "[CmdletBinding()]\nparam(\n";
    s += "    # Move for real: without it, every move is a dry run (-WhatIf).\n";
    s += "    [switch] $Apply,\n";
    s += "    # A Microsoft 365 admin for Move-CsUser. Without it, moves run one at a time.\n";
    s += "    [System.Management.Automation.PSCredential] $Credential,\n";
    if direction == Direction::Rollback {
        s += "    # The on-premises registrar pool (FQDN) the users move back to.\n";
        match &m.registrar_pool {
            Some(pool) => s += &format!("    [string] $RegistrarPool = {},\n", quote(pool)),
            None => s += "    [Parameter(Mandatory = $true)] [string] $RegistrarPool,\n",
        }
    }
    s += &format!(
        "    # Moves run at once, and retries of the failed ones.\n    [ValidateRange(1, 100)] [int] $Parallel = {},\n    [ValidateRange(0, 10)] [int] $Retries = {},\n",
        m.parallel.clamp(1, 100),
        m.retries.min(10)
    );
    s += &format!(
        "    # Where Move-CsUser's per-user reports and this run's results go.\n    [string] $ReportFolder = (Join-Path $PSScriptRoot '{}-wave-{nn}-reports')\n)\n\n",
        direction.prefix()
    );
    s += "Set-StrictMode -Version 3\n$ErrorActionPreference = 'Stop'\n\n";
    s += &format!("$Wave = {}\n", quote(nn));
    s += &format!("$OnlineTarget = {}\n", quote(&m.target));
    match direction {
        Direction::Move => s += "$Destination = $OnlineTarget\n",
        Direction::Rollback => s += "$Destination = $RegistrarPool\n",
    }
    s += "$MoveOptions = @{\n    Target  = $Destination\n    Confirm = $false\n";
    if m.use_oauth {
        s += "    # Skype for Business Server 2015 before CU12 moves with OAuth only.\n";
        s += "    UseOAuth = $true\n";
    }
    if let Some(url) = &m.override_url {
        s += &format!("    HostedMigrationOverrideUrl = {}\n", quote(url));
    }
    if direction == Direction::Move && m.force {
        s += "    # The scenario asks for -Force: contacts and meetings are NOT moved.\n";
        s += "    Force = $true\n";
    }
    s += "}\n\n";
    s += "# The users of this wave: the identity the cmdlets are given (the SIP address, or the DN\n";
    s += "# when another user holds the same SIP address), then SIP address, UPN and DN as exported.\n";
    s += "$Users = @(\n";
    for u in users {
        s += &format!(
            "    @{{ Id = {}; Sip = {}; Upn = {}; Dn = {} }}\n",
            quote(&u.id),
            quote(&u.uri),
            quote(&u.upn),
            quote(&u.dn)
        );
    }
    s += ")\n\n";
    s += match direction {
        Direction::Move => {
            "# Skip a user already homed online: a rerun resumes.\n$SkipStatus = 'already-online'\nfunction Test-Done([string] $Id) {\n    (Get-CsUser -Identity $Id).HostingProvider -eq $OnlineTarget\n}\n\n"
        }
        Direction::Rollback => {
            "# Skip a user not homed online: a rerun resumes.\n$SkipStatus = 'not-online'\nfunction Test-Done([string] $Id) {\n    (Get-CsUser -Identity $Id).HostingProvider -ne $OnlineTarget\n}\n\n"
        }
    };
    s += RUN;
    s.replace('\n', "\r\n")
}

/// The part of every script that runs the moves (it reads `$Users`, `$MoveOptions`, `Test-Done`
/// and the parameters).
const RUN: &str = r#"# Moves one user; run in this session or as a background job.
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
"#;

#[cfg(test)]
mod tests {
    use super::*;
    use hybridready_assessment::{ObjRef, ObjectClass, ObjectInfo, Objects};

    #[test]
    fn quotes_are_doubled_and_nothing_else_is_special() {
        assert_eq!(quote("O'Brien"), "'O''Brien'");
        assert_eq!(quote("a’b‘c‚d‛"), "'a’’b‘‘c‚‚d‛‛'");
        assert_eq!(
            quote("$(Remove-Item C:\\)`n\"x\""),
            "'$(Remove-Item C:\\)`n\"x\"'"
        );
        assert_eq!(quote(""), "''");
    }

    /// Names a customer's directory may hold, each able to break a script that quoted it badly.
    const HOSTILE: [(&str, &str, &str); 3] = [
        (
            "sip:o'brien@contoso.com",
            "o'brien@contoso.com",
            "CN=O'Brien\\, Seán,OU=Sales,DC=contoso,DC=com",
        ),
        (
            "sip:d’arcy@contoso.com",
            "d’arcy@contoso.com",
            "CN=D’Arcy $(Remove-Item -Recurse C:\\) `\"x\",OU=Sales,DC=contoso,DC=com",
        ),
        (
            "sip:zoe@contoso.com",
            "zoe@contoso.com",
            "CN=Zoë #comment '; Stop-Computer; ',OU=Sales,DC=contoso,DC=com",
        ),
    ];

    /// An assessment with the pilot (one user) and wave 1 (the hostile names).
    fn assessment(registrar_pool: Option<&str>, use_oauth: bool) -> Assessment {
        let mut a = crate::test_support::empty_assessment();
        let infos: Vec<ObjectInfo> = std::iter::once((
            "sip:pilot@contoso.com",
            "pilot@contoso.com",
            "CN=Pilot,OU=IT,DC=contoso,DC=com",
        ))
        .chain(HOSTILE)
        .enumerate()
        .map(|(i, (sip, upn, dn))| ObjectInfo {
            id: i as u32,
            class: Some(ObjectClass::User),
            dn: dn.into(),
            upn: upn.into(),
            sip: sip.into(),
            ..ObjectInfo::default()
        })
        .collect();
        a.objects = Objects::new(infos);
        let user = |i: u32| hybridready_assessment::WaveUser {
            user: ObjRef(i),
            reason: hybridready_assessment::WaveReason::NoDependents,
            dependents: 0,
            elsewhere: 0,
            elsewhere_first: vec![],
        };
        let wave = |number: u32, users: Vec<u32>| hybridready_assessment::Wave {
            number,
            week: None,
            users: users.into_iter().map(user).collect(),
            pairs_across: 0,
            weight_across: 0,
            broken_by_unsynced: 0,
        };
        a.waves.waves = vec![wave(0, vec![0]), wave(1, vec![1, 2, 3])];
        a.waves.moves.registrar_pool = registrar_pool.map(String::from);
        a.waves.moves.use_oauth = use_oauth;
        a
    }

    /// The files in the order of their names (the waves are written in parallel).
    fn files(a: &Assessment) -> Vec<(String, String)> {
        let files = std::sync::Mutex::new(Vec::new());
        write_wave_files(a, |name, bytes| {
            let text = String::from_utf8(bytes.to_vec()).unwrap();
            files.lock().unwrap().push((name.to_string(), text));
            Ok::<(), ()>(())
        })
        .unwrap();
        let mut files = files.into_inner().unwrap();
        files.sort();
        files
    }

    /// The script with every single-quoted literal and every comment removed: what PowerShell
    /// would parse as code.
    fn code_outside_literals(script: &str) -> String {
        let is_quote =
            |c: char| matches!(c, '\'' | '\u{2018}' | '\u{2019}' | '\u{201A}' | '\u{201B}');
        let mut out = String::new();
        let mut chars = script.chars().peekable();
        while let Some(c) = chars.next() {
            if is_quote(c) {
                // A literal: ends at a quote not followed by another quote.
                loop {
                    match chars.next() {
                        Some(q) if is_quote(q) => {
                            if chars.peek().is_some_and(|&n| is_quote(n)) {
                                chars.next();
                            } else {
                                break;
                            }
                        }
                        Some(_) => {}
                        None => panic!("unterminated literal"),
                    }
                }
                out.push_str("''");
            } else if c == '<' && chars.peek() == Some(&'#') {
                while let Some(d) = chars.next() {
                    if d == '#' && chars.peek() == Some(&'>') {
                        chars.next();
                        break;
                    }
                }
            } else if c == '#' {
                for d in chars.by_ref() {
                    if d == '\n' {
                        out.push('\n');
                        break;
                    }
                }
            } else {
                out.push(c);
            }
        }
        out
    }

    #[test]
    fn every_directory_value_is_a_single_quoted_literal() {
        for a in [
            assessment(None, false),
            assessment(Some("pool'1.contoso.com"), true),
        ] {
            for (name, text) in files(&a).iter().filter(|(n, _)| n.ends_with(".ps1")) {
                for (sip, upn, dn) in HOSTILE.iter().filter(|_| name.contains("-01.")) {
                    for v in [sip, upn, dn] {
                        assert!(text.contains(&quote(v)), "{name}: {v} not quoted");
                    }
                }
                let code = code_outside_literals(text);
                for fragment in [
                    "brien",
                    "arcy",
                    "Remove-Item",
                    "Stop-Computer",
                    "Zoë",
                    "pool",
                ] {
                    assert!(
                        !code.contains(fragment),
                        "{name}: {fragment} outside a literal:\n{code}"
                    );
                }
            }
        }
    }

    #[test]
    fn user_lists_name_each_user_once_with_sip() {
        let a = assessment(None, false);
        let f = files(&a);
        let list = |n: &str| f.iter().find(|(m, _)| m == n).unwrap().1.clone();
        assert_eq!(list("wave-00.txt"), "sip:pilot@contoso.com\r\n");
        assert_eq!(
            list("wave-01.txt"),
            "sip:o'brien@contoso.com,sip:d’arcy@contoso.com,sip:zoe@contoso.com\r\n"
        );
        let names: Vec<&str> = f.iter().map(|(n, _)| n.as_str()).collect();
        assert_eq!(
            names,
            [
                "move-wave-00.ps1",
                "move-wave-01.ps1",
                "rollback-wave-00.ps1",
                "rollback-wave-01.ps1",
                "wave-00.txt",
                "wave-01.txt",
            ]
        );
    }

    #[test]
    fn scripts_keep_their_shape() {
        let a = assessment(None, false);
        let f = files(&a);
        let get = |n: &str| {
            f.iter()
                .find(|(m, _)| m == n)
                .unwrap()
                .1
                .replace("\r\n", "\n")
        };
        insta::assert_snapshot!("move-wave-01.ps1", get("move-wave-01.ps1"));
        insta::assert_snapshot!("rollback-wave-01.ps1", get("rollback-wave-01.ps1"));
        let mut b = assessment(Some("pool01.contoso.com"), true);
        b.waves.moves.override_url = Some(
            "https://admin4a.online.lync.com/HostedMigration/hostedmigrationService.svc".into(),
        );
        b.waves.moves.force = true;
        let g = files(&b);
        let get = |n: &str| {
            g.iter()
                .find(|(m, _)| m == n)
                .unwrap()
                .1
                .replace("\r\n", "\n")
        };
        insta::assert_snapshot!(
            "move-wave-00-oauth-override-force.ps1",
            get("move-wave-00.ps1")
        );
        insta::assert_snapshot!("rollback-wave-00-pool.ps1", get("rollback-wave-00.ps1"));
    }

    #[test]
    fn scripts_are_utf8_with_a_byte_order_mark_and_crlf() {
        for (name, text) in files(&assessment(None, false)) {
            if name.ends_with(".ps1") {
                assert!(text.starts_with('\u{FEFF}'), "{name}");
                assert!(!text.replace("\r\n", "").contains('\n'), "{name}: bare LF");
            }
        }
    }
}
