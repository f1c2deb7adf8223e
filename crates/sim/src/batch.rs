//! What-if batches: a base scenario and variants that override some of its keys, plus a
//! `[matrix]` table whose lists expand to their cross product.
//!
//! ```toml
//! base = "baseline.toml"
//! [[variant]]
//! name = "sync contractors too"
//! sync.exclude_ous = []
//! [matrix]
//! "affinity.max_group_size" = [50, 100]
//! "tenant.shared_sip_address_space" = [false, true]
//! ```

use hybridready_assessment::scenario::{Scenario, ScenarioError, line_col};
use std::path::{Path, PathBuf};
use toml::Value;

/// One variant to evaluate: its name and its complete scenario.
#[derive(Clone, Debug)]
pub struct Variant {
    pub name: String,
    pub scenario: Scenario,
}

fn invalid(path: &str, text: &str, needle: Option<&str>, message: String) -> ScenarioError {
    let (line, column) = needle
        .and_then(|n| text.find(n))
        .map_or((1, 1), |o| line_col(text, o));
    ScenarioError::Invalid {
        path: path.to_string(),
        line,
        column,
        message,
    }
}

/// Prefixes an invalid-scenario message with the variant it comes from.
fn naming(e: ScenarioError, variant: &str) -> ScenarioError {
    match e {
        ScenarioError::Invalid {
            path,
            line,
            column,
            message,
        } => ScenarioError::Invalid {
            path,
            line,
            column,
            message: format!("{variant}: {message}"),
        },
        other => other,
    }
}

/// Deep-merges `over` into `base`: tables merge key by key, anything else replaces.
fn merge(base: &mut Value, over: &Value) {
    match (base, over) {
        (Value::Table(b), Value::Table(o)) => {
            for (k, v) in o {
                match b.get_mut(k) {
                    Some(existing) if existing.is_table() && v.is_table() => merge(existing, v),
                    _ => {
                        b.insert(k.clone(), v.clone());
                    }
                }
            }
        }
        (b, o) => *b = o.clone(),
    }
}

/// `"a.b.c" = v` as the table `{a = {b = {c = v}}}`.
fn dotted(key: &str, v: Value) -> Value {
    key.rsplit('.').fold(v, |acc, part| {
        let mut t = toml::map::Map::new();
        t.insert(part.trim().trim_matches('"').to_string(), acc);
        Value::Table(t)
    })
}

fn short(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        Value::Array(a) if a.is_empty() => "none".into(),
        Value::Array(a) => a.iter().map(short).collect::<Vec<_>>().join("+"),
        other => other.to_string(),
    }
}

/// Reads a batch file and returns the base scenario (first, under its own name) and every
/// variant.
pub fn load(path: &Path) -> Result<Vec<Variant>, ScenarioError> {
    let p = path.display().to_string();
    let text = std::fs::read_to_string(path).map_err(|source| ScenarioError::Io {
        path: p.clone(),
        source,
    })?;
    let doc: Value = toml::from_str(&text).map_err(|e| {
        let (line, column) = e.span().map_or((0, 0), |s| line_col(&text, s.start));
        ScenarioError::Invalid {
            path: p.clone(),
            line,
            column,
            message: e.message().trim().replace('\n', " "),
        }
    })?;
    let Value::Table(table) = &doc else {
        return Err(invalid(&p, &text, None, "expected a table".into()));
    };
    for k in table.keys() {
        if !matches!(k.as_str(), "base" | "variant" | "matrix") {
            return Err(invalid(
                &p,
                &text,
                Some(k),
                format!("unknown key `{k}`, expected `base`, `variant` or `matrix`"),
            ));
        }
    }
    let dir = path.parent().unwrap_or(Path::new("."));
    let (base_value, base_dir, base_text, base_path) = match table.get("base") {
        Some(Value::String(b)) => {
            let bp: PathBuf = dir.join(b);
            let bt = std::fs::read_to_string(&bp).map_err(|source| ScenarioError::Io {
                path: bp.display().to_string(),
                source,
            })?;
            let v: Value = toml::from_str(&bt).map_err(|e| {
                let (line, column) = e.span().map_or((0, 0), |s| line_col(&bt, s.start));
                ScenarioError::Invalid {
                    path: bp.display().to_string(),
                    line,
                    column,
                    message: e.message().trim().replace('\n', " "),
                }
            })?;
            let base_dir = bp.parent().unwrap_or(Path::new(".")).to_path_buf();
            (v, base_dir, bt, bp.display().to_string())
        }
        Some(_) => {
            return Err(invalid(
                &p,
                &text,
                Some("base"),
                "`base` must be a file name".into(),
            ));
        }
        None => (
            Value::Table(Default::default()),
            dir.to_path_buf(),
            String::new(),
            p.clone(),
        ),
    };
    let build = |v: &Value, origin: &str, origin_text: &str| -> Result<Scenario, ScenarioError> {
        let s = toml::to_string(v).unwrap_or_default();
        let mut sc = Scenario::parse(&s, origin).map_err(|e| match e {
            ScenarioError::Invalid { message, .. } => {
                let needle = message.split('`').nth(1).map(str::to_string);
                invalid(origin, origin_text, needle.as_deref(), message)
            }
            other => other,
        })?;
        sc.resolve_paths(&base_dir);
        Ok(sc)
    };
    let base = build(&base_value, &base_path, &base_text)?;
    let mut out = vec![Variant {
        name: base.name().to_string(),
        scenario: base,
    }];
    if let Some(Value::Array(vs)) = table.get("variant") {
        for (i, v) in vs.iter().enumerate() {
            let Value::Table(t) = v else {
                return Err(invalid(
                    &p,
                    &text,
                    Some("[[variant]]"),
                    "each [[variant]] must be a table".into(),
                ));
            };
            let name = t
                .get("name")
                .and_then(Value::as_str)
                .map_or_else(|| format!("variant {}", i + 1), str::to_string);
            let mut over = v.clone();
            if let Value::Table(o) = &mut over {
                o.remove("name");
                o.insert("name".into(), Value::String(name.clone()));
            }
            let mut merged = base_value.clone();
            merge(&mut merged, &over);
            let sc =
                build(&merged, &p, &text).map_err(|e| naming(e, &format!("variant \"{name}\"")))?;
            out.push(Variant { name, scenario: sc });
        }
    }
    if let Some(m) = table.get("matrix") {
        let Value::Table(m) = m else {
            return Err(invalid(
                &p,
                &text,
                Some("[matrix]"),
                "[matrix] must be a table".into(),
            ));
        };
        let axes: Vec<(&String, &Vec<Value>)> = m
            .iter()
            .map(|(k, v)| match v {
                Value::Array(a) if !a.is_empty() => Ok((k, a)),
                _ => Err(invalid(
                    &p,
                    &text,
                    Some(k),
                    format!("matrix key `{k}` must be a non-empty list of values"),
                )),
            })
            .collect::<Result<_, _>>()?;
        let total: usize = axes.iter().map(|(_, a)| a.len()).product();
        if total > 4096 {
            return Err(invalid(
                &p,
                &text,
                Some("[matrix]"),
                format!("the matrix expands to {total} variants (at most 4096)"),
            ));
        }
        for n in 0..total {
            let mut rem = n;
            let mut merged = base_value.clone();
            let mut parts = Vec::new();
            for (k, vals) in &axes {
                let v = &vals[rem % vals.len()];
                rem /= vals.len();
                merge(&mut merged, &dotted(k, v.clone()));
                parts.push(format!(
                    "{}={}",
                    k.rsplit('.').next().unwrap_or(k),
                    short(v)
                ));
            }
            let name = parts.join(", ");
            merge(&mut merged, &dotted("name", Value::String(name.clone())));
            let sc = build(&merged, &p, &text)
                .map_err(|e| naming(e, &format!("matrix variant \"{name}\"")))?;
            out.push(Variant { name, scenario: sc });
        }
    }
    // Names must be unique: they become folder names.
    let mut seen = std::collections::HashSet::new();
    for v in &mut out {
        let mut name = v.name.clone();
        let mut i = 2;
        while !seen.insert(name.to_lowercase()) {
            name = format!("{} ({i})", v.name);
            i += 1;
        }
        v.name = name;
    }
    Ok(out)
}

/// A folder name for a variant: lowercase letters, digits and dashes.
pub fn slug(name: &str, index: usize) -> String {
    let mut s: String = name
        .chars()
        .map(|c| {
            if c.is_alphanumeric() {
                c.to_ascii_lowercase()
            } else {
                '-'
            }
        })
        .collect();
    while s.contains("--") {
        s = s.replace("--", "-");
    }
    let s = s.trim_matches('-');
    let s: String = s.chars().take(60).collect();
    format!("{index:03}-{}", if s.is_empty() { "variant" } else { &s })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn variants_and_matrix_expand() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(
            dir.path().join("base.toml"),
            "name = \"baseline\"\n[tenant]\nverified_domains = [\"contoso.com\"]\n[sync]\nexclude_ous = [\"OU=X,DC=c,DC=com\"]\n",
        )
        .unwrap();
        let b = dir.path().join("batch.toml");
        std::fs::write(
            &b,
            "base = \"base.toml\"\n[[variant]]\nname = \"all OUs\"\nsync.exclude_ous = []\n[matrix]\n\"affinity.max_group_size\" = [10, 50]\n\"tenant.shared_sip_address_space\" = [false, true]\n",
        )
        .unwrap();
        let v = load(&b).unwrap();
        assert_eq!(v.len(), 1 + 1 + 4);
        assert_eq!(v[0].name, "baseline");
        assert_eq!(v[1].scenario.sync.exclude_ous, Some(vec![]));
        assert_eq!(
            v[1].scenario.tenant.verified_domains,
            Some(vec!["contoso.com".to_string()])
        );
        let m: Vec<(usize, Option<bool>)> = v[2..]
            .iter()
            .map(|x| {
                (
                    x.scenario.affinity.max_group_size,
                    x.scenario.tenant.shared_sip_address_space,
                )
            })
            .collect();
        assert_eq!(
            m,
            [
                (10, Some(false)),
                (50, Some(false)),
                (10, Some(true)),
                (50, Some(true))
            ]
        );
        assert!(v[2].name.contains("max_group_size=10"));
    }

    /// The error loading a batch file of this text.
    fn error_of(text: &str) -> String {
        let dir = tempfile::tempdir().unwrap();
        let b = dir.path().join("batch.toml");
        std::fs::write(&b, text).unwrap();
        load(&b).unwrap_err().to_string()
    }

    #[test]
    fn unknown_keys_in_a_variant_are_named() {
        let e = error_of("[[variant]]\nname = \"typo\"\nsync.exclude_ou = []\n");
        assert!(e.contains("variant \"typo\""), "{e}");
        assert!(e.contains("exclude_ou"), "{e}");
        assert!(e.contains(":3:"), "{e}");
    }

    #[test]
    fn enumerated_values_of_variants_are_checked_where_they_are() {
        let e = error_of("[[variant]]\nname = \"modes\"\ntenant.global_upgrade_policy = \"Foo\"\n");
        assert!(e.contains(":3:"), "{e}");
        assert!(
            e.contains("variant \"modes\": unknown variant `Foo`"),
            "{e}"
        );
        assert!(e.contains("`SfBWithTeamsCollab`"), "{e}");
        let e = error_of(
            "[matrix]\n\"federation.server_versions\" = [[\"SfB2019 7.0.2046.553\"], [\"OCS2007\"]]\n",
        );
        assert!(e.contains(":2:"), "{e}");
        assert!(e.contains("unknown server product `OCS2007`"), "{e}");
    }
}
