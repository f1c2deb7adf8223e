//! The text of `Collect-HybridReady.ps1`.
//!
//! The script is a fixed body (`collect.ps1`, read in at build time, so it can be reviewed as
//! PowerShell) with a few generated blocks: the parameters' defaults from the options, and the
//! property lists from [`properties`](crate::properties). Every value from the options is a
//! single-quoted literal ([`quote`]); nothing else in the body comes from outside.

use crate::properties::{self, AdProperty, Fetch, Shape};
use hybridready_directory::ObjectKind;
use hybridready_ingest::values::MULTI_VALUE_SEPARATOR;
use hybridready_report::scripts::quote;
use std::fmt::Write as _;

/// The .NET format the script writes dates in: ISO 8601 in UTC, the same on every host
/// whatever its locale (`T` and `Z` are not format specifiers, so they are written as they are).
pub const DATE_FORMAT: &str = "yyyy-MM-ddTHH:mm:ssZ";

/// The name the script is meant to be saved under.
pub const FILE_NAME: &str = "Collect-HybridReady.ps1";

/// What `hybridready collect-script` was asked for: the defaults of the script's parameters.
#[derive(Clone, Debug, Default)]
pub struct Options {
    /// The forests to export (DNS names); none: the forest of the computer it runs on.
    pub forests: Vec<String>,
    /// The Entra Connect server to read the version of; none: read locally, if installed.
    pub sync_server: Option<String>,
    /// Leave the tenant out unless `-SkipTenant:$false` is given.
    pub skip_tenant: bool,
}

const BODY: &str = include_str!("collect.ps1");

/// The whole script for `options`.
pub fn script(options: &Options) -> String {
    let forests = if options.forests.is_empty() {
        "@()".to_string()
    } else {
        let q: Vec<String> = options.forests.iter().map(|f| quote(f)).collect();
        format!("@({})", q.join(", "))
    };
    // The help names no value from the options: a name holding `#>` would end the comment.
    let forest_help = if options.forests.is_empty() {
        "none, which reads the forest of this computer"
    } else {
        "the forests given to hybridready collect-script (see param below)"
    };
    let sync_server = options.sync_server.as_deref().map_or("''".into(), quote);
    let sync_help = match &options.sync_server {
        Some(_) => "the server given to hybridready collect-script (see param below)",
        None => "none, which reads this computer, if Entra Connect is installed here",
    };
    let skip_tenant = if options.skip_tenant {
        "[switch] $SkipTenant = $true"
    } else {
        "[switch] $SkipTenant"
    };
    let fill = [
        ("@@VERSION@@", quote(env!("CARGO_PKG_VERSION"))),
        ("@@VERSION_TEXT@@", env!("CARGO_PKG_VERSION").to_string()),
        ("@@FORESTS@@", forests),
        ("@@FOREST_HELP@@", forest_help.to_string()),
        ("@@SYNC_SERVER@@", sync_server),
        ("@@SYNC_HELP@@", sync_help.to_string()),
        ("@@SKIP_TENANT@@", skip_tenant.to_string()),
        ("@@SEPARATOR@@", quote(&MULTI_VALUE_SEPARATOR.to_string())),
        ("@@DATE_FORMAT@@", quote(DATE_FORMAT)),
        ("@@PROPERTIES@@", property_lists()),
        (
            "@@CS_USER_COLUMNS@@",
            plain_list(&properties::cs_user_properties()),
        ),
        (
            "@@ONLINE_USER_COLUMNS@@",
            plain_list(&properties::online_user_properties()),
        ),
        (
            "@@GRAPH_USER_PROPERTIES@@",
            plain_list(properties::GRAPH_USER_PROPERTIES),
        ),
        (
            "@@GRAPH_USER_COLUMNS@@",
            graph_user_columns(properties::GRAPH_USER_PROPERTIES),
        ),
    ];
    let mut text = BODY.to_string();
    for (key, value) in fill {
        text = text.replace(key, &value);
    }
    // The body is kept with LF; Windows PowerShell reads either, and the golden file stays
    // readable in a diff.
    text
}

/// `@(` one quoted name a line `)`.
fn plain_list(names: &[&str]) -> String {
    let mut out = String::from("@(\n");
    for n in names {
        let _ = writeln!(out, "    {}", quote(n));
    }
    out.push(')');
    out
}

/// The Get-MgUser columns: `ProxyAddresses` is a list, joined like the AD multi-values.
fn graph_user_columns(names: &[&'static str]) -> String {
    let mut out = String::from("@(\n");
    for n in names {
        let col = if *n == "ProxyAddresses" {
            column(&AdProperty {
                name: n,
                fetch: Fetch::Default,
                shape: Shape::Multi,
                kinds: &[],
            })
        } else {
            quote(n)
        };
        let _ = writeln!(out, "    {col}");
    }
    out.push(')');
    out
}

/// The column a property is written as: its name, or a calculated property that turns its
/// value into text the ingest reads.
fn column(p: &AdProperty) -> String {
    let convert = match p.shape {
        Shape::Single => return quote(p.name),
        Shape::Multi => "Join-Values",
        Shape::Base64List => "Join-Base64",
        Shape::Base64 => "ConvertTo-Base64",
        Shape::SidBytes => "ConvertTo-SidText",
        Shape::Date => "ConvertTo-UtcText",
    };
    format!(
        "@{{ Name = {n}; Expression = {{ {convert} $_.{n} }} }}",
        n = quote(p.name)
    )
}

/// For each kind: the attributes to ask when the schema has them, the extended properties to
/// ask, and the columns to write.
fn property_lists() -> String {
    let mut out = String::new();
    for (kind, var, cmdlet) in [
        (ObjectKind::User, "User", "Get-ADUser"),
        (ObjectKind::Group, "Group", "Get-ADGroup"),
        (ObjectKind::Contact, "Contact", "Get-ADObject (contacts)"),
    ] {
        let props = properties::ad_properties(kind);
        let names = |f: Fetch| -> Vec<&str> {
            props
                .iter()
                .filter(|p| p.fetch == f)
                .map(|p| p.name)
                .collect()
        };
        let _ = writeln!(
            out,
            "# {cmdlet}: the LDAP attributes asked (those the forest's schema has), the extended \
             properties asked,\n# and the columns written, in this order."
        );
        let _ = writeln!(
            out,
            "${var}Attributes = {}",
            plain_list(&names(Fetch::Schema))
        );
        let _ = writeln!(
            out,
            "${var}Extended = {}",
            plain_list(&names(Fetch::Extended))
        );
        out.push_str(&format!("${var}Columns = @(\n"));
        for p in &props {
            let _ = writeln!(out, "    {}", column(p));
        }
        out.push_str(")\n\n");
    }
    out.trim_end().to_string()
}

/// The commands an admin can type instead of running the kit, one per export, for the README's
/// "manual equivalent": the same properties and columns, written without the kit's helpers.
pub fn manual_commands() -> String {
    let sep = quote(&MULTI_VALUE_SEPARATOR.to_string());
    let inline = |p: &AdProperty| -> String {
        let v = format!("$_.{}", quote(p.name));
        let e = match p.shape {
            Shape::Single => return quote(p.name),
            Shape::Multi => format!("{v} -join {sep}"),
            Shape::Base64List => {
                format!("($v | ForEach-Object {{ [Convert]::ToBase64String($_) }}) -join {sep}")
                    .replace("$v", &v)
            }
            Shape::Base64 => format!("if ({v}) {{ [Convert]::ToBase64String({v}) }}"),
            Shape::SidBytes => format!(
                "if ({v}) {{ (New-Object Security.Principal.SecurityIdentifier({v}, 0)).Value }}"
            ),
            Shape::Date => format!(
                "if ({v}) {{ {v}.ToUniversalTime().ToString({}) }}",
                quote(DATE_FORMAT)
            ),
        };
        format!("@{{n={};e={{{e}}}}}", quote(p.name))
    };
    let mut out = String::new();
    for (kind, cmdlet, file) in [
        (
            ObjectKind::User,
            "Get-ADUser -Server $domain -Filter *",
            "users.csv",
        ),
        (
            ObjectKind::Group,
            "Get-ADGroup -Server $domain -Filter *",
            "groups.csv",
        ),
        (
            ObjectKind::Contact,
            "Get-ADObject -Server $domain -LDAPFilter '(objectClass=contact)'",
            "contacts.csv",
        ),
    ] {
        let props = properties::ad_properties(kind);
        let asked: Vec<String> = props
            .iter()
            .filter(|p| p.fetch != Fetch::Default)
            .map(|p| quote(p.name))
            .collect();
        let columns: Vec<String> = props.iter().map(inline).collect();
        let _ = writeln!(
            out,
            "{cmdlet} -Properties {} |\n    Select-Object {} |\n    Export-Csv {file} -NoTypeInformation -Encoding UTF8\n",
            asked.join(","),
            columns.join(",")
        );
    }
    let list = |names: &[&str]| names.iter().map(|n| quote(n)).collect::<Vec<_>>().join(",");
    let _ = writeln!(
        out,
        "Get-CsUser -ResultSize Unlimited | Select-Object {} |\n    Export-Csv cs-users.csv -NoTypeInformation -Encoding UTF8",
        list(&properties::cs_user_properties())
    );
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use hybridready_ingest::values::{check_timestamp, split_multi};

    fn options() -> Options {
        Options {
            forests: vec!["contoso.com".into(), "fabrikam.com".into()],
            sync_server: Some("aadc01.contoso.com".into()),
            skip_tenant: false,
        }
    }

    /// The script for one fixed set of options: any change to its shape shows in review.
    #[test]
    fn golden_script() {
        insta::assert_snapshot!("Collect-HybridReady.ps1", script(&options()));
    }

    #[test]
    fn golden_script_with_no_options() {
        insta::assert_snapshot!(
            "Collect-HybridReady-defaults.ps1",
            script(&Options {
                skip_tenant: true,
                ..Options::default()
            })
        );
    }

    /// What the script writes is what the ingest reads: its dates and its joined values.
    #[test]
    fn dates_and_joined_values_read_back() {
        let sample = "2024-01-31T12:00:00Z";
        assert_eq!(sample.len(), DATE_FORMAT.len());
        assert!(check_timestamp(sample).is_ok());
        let joined =
            ["smtp:a@contoso.com", "SMTP:b@contoso.com"].join(&MULTI_VALUE_SEPARATOR.to_string());
        assert_eq!(
            split_multi(&joined, false),
            ["smtp:a@contoso.com", "SMTP:b@contoso.com"]
        );
        let dns = [
            "CN=Lee\\, Ann,OU=Staff,DC=contoso,DC=com",
            "CN=Bo,DC=contoso,DC=com",
        ];
        let joined = dns.join(&MULTI_VALUE_SEPARATOR.to_string());
        assert_eq!(split_multi(&joined, true), dns);
    }

    /// Every placeholder is filled, and the text is ASCII (Windows PowerShell 5.1 reads a file
    /// without a byte-order mark in the system's code page).
    #[test]
    fn placeholders_are_filled_and_text_is_ascii() {
        for o in [options(), Options::default()] {
            let s = script(&o);
            assert!(!s.contains("@@"), "an unfilled placeholder");
            assert!(s.is_ascii());
            assert!(s.starts_with("#Requires -Version 5.1\n"));
        }
    }

    /// A forest name is a single-quoted literal, whatever it holds.
    #[test]
    fn option_values_are_single_quoted_literals() {
        let s = script(&Options {
            forests: vec!["o'brien.com$(Remove-Item C:\\)".into()],
            sync_server: Some("x'y".into()),
            skip_tenant: false,
        });
        assert!(s.contains("@('o''brien.com$(Remove-Item C:\\)')"), "{s}");
        assert!(s.contains("$SyncServer = 'x''y'"));
    }
}
