//! The public sources of a rule as addresses a reader can open.
//!
//! Declarations name their sources as `repository: path (remark)`, joined with `; ` (see
//! `registry::src!`): short to write and to read in `hybridready explain`. A report links them
//! instead, and the remarks (which part of IdFix a rule differs from) stay in the explanation.

/// The addresses of the sources of a declaration's `source` text, in order, without repeats.
pub fn links(source: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for part in source.split("; ") {
        for url in part_links(part.trim()) {
            if !out.contains(&url) {
                out.push(url);
            }
        }
    }
    out
}

fn part_links(part: &str) -> Vec<String> {
    // The remark in parentheses after the path, if any.
    let bare = match part.find(" (") {
        Some(i) => &part[..i],
        None => part,
    };
    if bare.starts_with("Public Suffix List") {
        return vec!["https://publicsuffix.org/list/".into()];
    }
    if let Some(rest) = bare.strip_prefix("microsoft/idfix issues ") {
        return rest
            .split([',', ' '])
            .filter_map(|n| n.trim().strip_prefix('#'))
            .map(|n| format!("https://github.com/microsoft/idfix/issues/{n}"))
            .collect();
    }
    let Some((repo, path)) = bare.split_once(": ") else {
        return Vec::new();
    };
    let page = |prefix: &str, base: &str| {
        path.strip_prefix(prefix)
            .map(|p| format!("{base}{}", p.trim_end_matches(".md")))
    };
    let url = match repo {
        "MicrosoftDocs/OfficeDocs-SkypeForBusiness" => page(
            "Skype/SfbHybrid/hybrid/",
            "https://learn.microsoft.com/skypeforbusiness/hybrid/",
        ),
        "MicrosoftDocs/entra-docs" => page("docs/", "https://learn.microsoft.com/entra/"),
        "MicrosoftDocs/microsoft-365-docs" => page(
            "microsoft-365/",
            "https://learn.microsoft.com/microsoft-365/",
        ),
        "MicrosoftDocs/office-docs-powershell" => page(
            "teams/teams-ps/teams/",
            "https://learn.microsoft.com/powershell/module/teams/",
        )
        .map(|u| u.to_lowercase()),
        // `HEAD` is the repository's default branch, whatever its name.
        r if r.contains('/') => Some(format!("https://github.com/{r}/blob/HEAD/{path}")),
        _ => None,
    };
    url.into_iter().collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_declared_source_has_a_link() {
        for r in crate::registry::all() {
            let l = links(r.source);
            assert!(!l.is_empty(), "{} has no link: {}", r.id, r.source);
            assert!(
                l.iter()
                    .all(|u| u.starts_with("https://") && !u.contains(' ')),
                "{}: {l:?}",
                r.id
            );
        }
    }

    #[test]
    fn sources_become_addresses() {
        assert_eq!(
            links(
                "MicrosoftDocs/entra-docs: docs/identity/hybrid/connect/tshoot-connect-sync-errors.md (LargeObject); microsoft/idfix issues #12, #16"
            ),
            [
                "https://learn.microsoft.com/entra/identity/hybrid/connect/tshoot-connect-sync-errors",
                "https://github.com/microsoft/idfix/issues/12",
                "https://github.com/microsoft/idfix/issues/16",
            ]
        );
        assert_eq!(
            links(
                "MicrosoftDocs/office-docs-powershell: teams/teams-ps/teams/Disable-CsOnlineSipDomain.md"
            ),
            ["https://learn.microsoft.com/powershell/module/teams/disable-csonlinesipdomain"]
        );
    }
}
