//! Sync scope (spec §4): whether each object is in Entra Connect's scope and syncs, and why not.

use hybridready_assessment::SyncReason;
use hybridready_assessment::scenario::Scenario;
use hybridready_directory::{Attr, Directory, DnId, DomainId, ObjectId, ObjectKind};
use serde::Serialize;

/// What the rules found that decides sync: out-of-box exclusions and `blocks-sync` findings.
/// Built once from the findings; shared by every scenario variant.
#[derive(Clone, Debug, Default)]
pub struct SyncFindings {
    /// Per object: the rule that excludes it by Entra Connect's out-of-box rules, if any.
    excluded: Vec<Option<&'static str>>,
    /// `(object, rule)` for blocks-sync findings, sorted by object.
    blocked: Vec<(u32, &'static str)>,
}

impl SyncFindings {
    /// `items`: `(object, rule id, is an out-of-box exclusion)` for every finding whose effect
    /// is `blocks-sync` or `excluded`.
    pub fn new(n: usize, items: impl IntoIterator<Item = (ObjectId, &'static str, bool)>) -> Self {
        let mut excluded = vec![None; n];
        let mut blocked = Vec::new();
        for (o, rule, exclusion) in items {
            if exclusion {
                excluded[o.index()].get_or_insert(rule);
            } else {
                blocked.push((o.0, rule));
            }
        }
        blocked.sort_unstable();
        blocked.dedup();
        SyncFindings { excluded, blocked }
    }
    pub fn exclusion(&self, o: ObjectId) -> Option<&'static str> {
        self.excluded.get(o.index()).copied().flatten()
    }
    pub fn blockers(&self, o: ObjectId) -> impl Iterator<Item = &'static str> + '_ {
        let start = self.blocked.partition_point(|&(x, _)| x < o.0);
        self.blocked[start..]
            .iter()
            .take_while(move |&&(x, _)| x == o.0)
            .map(|&(_, r)| r)
    }
    /// Objects per blocking rule (an object with two findings of a rule counts once).
    pub fn objects_by_rule(&self) -> std::collections::BTreeMap<&'static str, u64> {
        let mut m = std::collections::BTreeMap::new();
        for &(_, rule) in &self.blocked {
            *m.entry(rule).or_default() += 1;
        }
        m
    }
    pub fn is_blocked(&self, o: ObjectId) -> bool {
        self.blockers(o).next().is_some()
    }
}

/// Why an object does not sync. The first reason in spec §4's order is kept.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
pub enum NotSynced {
    /// Excluded by an Entra Connect out-of-box rule (the rule id).
    Excluded(&'static str),
    /// Its domain is not in `sync.domains`.
    DomainFilter,
    /// Not under any of `sync.include_ous`.
    NotInIncludedOu,
    /// Under one of `sync.exclude_ous` (its index in that list).
    InExcludedOu(u32),
    /// Not a direct member of `sync.group`.
    NotInSyncGroup,
    /// Its attribute value is excluded by `sync.attribute_filter`.
    AttributeFilter,
    /// In scope, but a `blocks-sync` finding applies (the first rule id).
    Blocked(&'static str),
}

impl NotSynced {
    pub fn is_scope(self) -> bool {
        !matches!(self, NotSynced::Blocked(_))
    }
    /// The reason as the assessment states it (`excluded` names the scenario's OU as written).
    pub fn reason(self, excluded: &[String]) -> SyncReason {
        match self {
            NotSynced::Excluded(r) => SyncReason::Excluded { rule: r.into() },
            NotSynced::DomainFilter => SyncReason::DomainFilter,
            NotSynced::NotInIncludedOu => SyncReason::NotInIncludedOu,
            NotSynced::InExcludedOu(i) => SyncReason::InExcludedOu {
                ou: excluded.get(i as usize).cloned().unwrap_or_default(),
            },
            NotSynced::NotInSyncGroup => SyncReason::NotInSyncGroup,
            NotSynced::AttributeFilter => SyncReason::AttributeFilter,
            NotSynced::Blocked(r) => SyncReason::Blocked { rule: r.into() },
        }
    }
}

/// The scenario's sync filters, resolved against the directory.
#[derive(Clone, Debug, Default)]
pub struct ResolvedSync {
    pub domains: Option<Vec<DomainId>>,
    pub include_ous: Option<Vec<DnId>>,
    pub exclude_ous: Vec<DnId>,
    pub group: Option<ObjectId>,
    pub attribute: Option<(Attr, Vec<String>)>,
}

/// A scenario value that names nothing in the directory.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("{key} = \"{value}\": {problem}")]
pub struct ScenarioRefError {
    pub key: String,
    pub value: String,
    pub problem: String,
}

/// Finds an OU or container by DN; a DN no object lies under is an error, since a typo would
/// silently take every object out of scope.
pub fn resolve_container(dir: &Directory, key: &str, dn: &str) -> Result<DnId, ScenarioRefError> {
    let err = |problem: String| ScenarioRefError {
        key: key.into(),
        value: dn.into(),
        problem,
    };
    let id = dir.dns().get(dn).ok_or_else(|| {
        err("no object of the inputs lies in this OU; check the distinguished name".into())
    })?;
    Ok(id)
}

/// Finds an object by DN, SIP address, UPN, mail, sAMAccountName or common name.
pub fn resolve_identity(dir: &Directory, index: &IdentityIndex, s: &str) -> Option<ObjectId> {
    if let Some(o) = dir.object_by_dn(s) {
        return Some(o);
    }
    index.get(dir, s).ok()
}

/// Why an identity named no object.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum IdentityMiss {
    Missing,
    /// Two objects hold it (a duplicate UPN, mail or name): it names neither.
    Ambiguous,
}

/// Objects by every identity a scenario or an affinity file may use, one map per kind, tried
/// from the most specific: SIP address (with or without `sip:`), UPN, mail, sAMAccountName (alone
/// or as `DOMAIN\name`), common name. A value two objects hold within a kind names neither, but a
/// weaker kind is not tried then: `alice@contoso.com` as one user's UPN and another's mail is that
/// user's UPN.
#[derive(Default)]
pub struct IdentityIndex {
    /// Built on the first lookup: a scenario that names its pilot and scope by DN, with no
    /// affinity file, never needs it, and at a million objects its five maps took a second and
    /// a half of the run.
    maps: std::sync::OnceLock<Vec<hybridready_directory::fold::CiMap<(u32, bool)>>>,
}

/// The kinds of identity, most specific first.
const IDENTITY_KINDS: usize = 5;

impl IdentityIndex {
    /// The index of `dir`'s objects, built when first asked: every lookup must pass that `dir`.
    pub fn new() -> IdentityIndex {
        IdentityIndex::default()
    }

    fn maps(&self, dir: &Directory) -> &[hybridready_directory::fold::CiMap<(u32, bool)>] {
        use rayon::prelude::*;
        self.maps.get_or_init(|| {
            (0..IDENTITY_KINDS)
                .into_par_iter()
                .map(|kind| Self::build_kind(dir, kind))
                .collect()
        })
    }

    fn build_kind(dir: &Directory, kind: usize) -> hybridready_directory::fold::CiMap<(u32, bool)> {
        let mut map = hybridready_directory::fold::CiMap::default();
        let mut add = |key: &str, o: ObjectId| {
            if key.is_empty() {
                return;
            }
            let e = map.entry_or_insert_with(key, || (o.0, true));
            if e.0 != o.0 {
                e.1 = false;
            }
        };
        let attr = [
            Attr::SipAddress,
            Attr::UserPrincipalName,
            Attr::Mail,
            Attr::SamAccountName,
            Attr::Cn,
        ][kind];
        let mut qualified = String::new();
        for o in dir.ids() {
            let Some(v) = dir.value(o, attr) else {
                continue;
            };
            if attr == Attr::SipAddress {
                add(strip_sip(v), o);
                continue;
            }
            add(v.trim(), o);
            if attr == Attr::SamAccountName
                && let Some(d) = dir.domain_of(o)
            {
                let domain = dir.domain(d);
                let netbios = match &domain.netbios {
                    Some(n) => n.as_str(),
                    None => domain.name.split('.').next().unwrap_or(""),
                };
                qualified.clear();
                qualified.push_str(netbios);
                qualified.push('\\');
                qualified.push_str(v.trim());
                add(&qualified, o);
            }
        }
        map
    }

    pub fn get(&self, dir: &Directory, s: &str) -> Result<ObjectId, IdentityMiss> {
        let key = strip_sip(s);
        for m in self.maps(dir) {
            match m.get(key) {
                Some(&(o, true)) => return Ok(ObjectId(o)),
                Some(_) => return Err(IdentityMiss::Ambiguous),
                None => {}
            }
        }
        Err(IdentityMiss::Missing)
    }
}

/// `sip:alice@contoso.com` → `alice@contoso.com`.
pub fn strip_sip(s: &str) -> &str {
    let t = s.trim();
    if t.len() > 4 && t[..4].eq_ignore_ascii_case("sip:") {
        &t[4..]
    } else {
        t
    }
}

impl ResolvedSync {
    pub fn resolve(
        dir: &Directory,
        ids: &IdentityIndex,
        s: &Scenario,
    ) -> Result<Self, ScenarioRefError> {
        let mut r = ResolvedSync::default();
        if let Some(ds) = &s.sync.domains {
            let mut v = Vec::new();
            for d in ds {
                let id = dir
                    .domain_by_name(d.trim())
                    .ok_or_else(|| ScenarioRefError {
                        key: "sync.domains".into(),
                        value: d.clone(),
                        problem: format!(
                            "no such domain in the inputs (known: {})",
                            dir.domains()
                                .iter()
                                .map(|d| d.name.as_str())
                                .collect::<Vec<_>>()
                                .join(", ")
                        ),
                    })?;
                v.push(id);
            }
            r.domains = Some(v);
        }
        if let Some(ous) = &s.sync.include_ous {
            r.include_ous = Some(
                ous.iter()
                    .map(|o| resolve_container(dir, "sync.include_ous", o))
                    .collect::<Result<_, _>>()?,
            );
        }
        if let Some(ous) = &s.sync.exclude_ous {
            r.exclude_ous = ous
                .iter()
                .map(|o| resolve_container(dir, "sync.exclude_ous", o))
                .collect::<Result<_, _>>()?;
        }
        if let Some(g) = &s.sync.group {
            let id = resolve_identity(dir, ids, g)
                .filter(|&o| dir.kind(o) == ObjectKind::Group)
                .ok_or_else(|| ScenarioRefError {
                    key: "sync.group".into(),
                    value: g.clone(),
                    problem: "no group of the inputs has this DN or name".into(),
                })?;
            r.group = Some(id);
        }
        if let Some(f) = &s.sync.attribute_filter {
            let a = Attr::from_ldap_name(f.attribute.trim()).ok_or_else(|| ScenarioRefError {
                key: "sync.attribute_filter.attribute".into(),
                value: f.attribute.clone(),
                problem: "not an attribute hybridready reads (extensionAttribute1–15, department, company, title, …)".into(),
            })?;
            r.attribute = Some((a, f.exclude_values.clone()));
        }
        Ok(r)
    }

    /// Why `o` is out of scope, if it is (ignoring blocks-sync findings).
    pub fn out_of_scope(
        &self,
        dir: &Directory,
        f: &SyncFindings,
        o: ObjectId,
    ) -> Option<NotSynced> {
        if let Some(rule) = f.exclusion(o) {
            return Some(NotSynced::Excluded(rule));
        }
        if let Some(ds) = &self.domains
            && !dir.domain_of(o).is_some_and(|d| ds.contains(&d))
        {
            return Some(NotSynced::DomainFilter);
        }
        if let Some(inc) = &self.include_ous
            && !inc.iter().any(|&c| dir.is_under(o, c))
        {
            return Some(NotSynced::NotInIncludedOu);
        }
        if let Some(i) = self.exclude_ous.iter().position(|&c| dir.is_under(o, c)) {
            return Some(NotSynced::InExcludedOu(i as u32));
        }
        if let Some(g) = self.group
            && !dir.groups_of(o).contains(&g)
        {
            return Some(NotSynced::NotInSyncGroup);
        }
        if let Some((a, values)) = &self.attribute
            && let Some(v) = dir.value(o, *a)
            && values.iter().any(|x| x.eq_ignore_ascii_case(v.trim()))
        {
            return Some(NotSynced::AttributeFilter);
        }
        None
    }

    /// Whether `o` syncs, and if not, why.
    pub fn evaluate(
        &self,
        dir: &Directory,
        f: &SyncFindings,
        o: ObjectId,
    ) -> Result<(), NotSynced> {
        if let Some(r) = self.out_of_scope(dir, f, o) {
            return Err(r);
        }
        match f.blockers(o).next() {
            Some(rule) => Err(NotSynced::Blocked(rule)),
            None => Ok(()),
        }
    }
}
