//! Running the rules: the per-object pass (parallel over object ids), the duplicate pass over the
//! namespace index, the deterministic order, and the suggestion collision checks.

use super::namespace::{Class, Holdings, Index, key_hash};
use super::text::{is_smtp, numbered};
use super::{Field, Finding, Fix, Message, RuleContext};
use super::{anchor, mail, names, nick, proxy, sam, scope, sip, target, upn};
use crate::Rule;
use hashbrown::{HashMap, HashSet};
use hybridready_directory::fold::ci_eq;
use hybridready_directory::{Attr, Directory, ObjectId, ObjectKind};
use rayon::prelude::*;
use std::cmp::Ordering;
use std::hash::BuildHasherDefault;

/// Objects per parallel work item: large enough to amortise scheduling, small enough to balance.
const CHUNK: usize = 4096;

/// Runs every rule on the directory and returns the findings sorted by rule id, then object id
/// (then attribute and value, so the order is total and every run gives the same list).
///
/// Never fails and never panics on any directory: a value no input carried is not checked.
pub fn evaluate(dir: &Directory, rc: &RuleContext) -> Vec<Finding> {
    let ctx = Ctx::new(dir, rc);
    let n = dir.len();
    let starts: Vec<usize> = (0..n).step_by(CHUNK).collect();
    // One pass over the objects both checks each one and collects its values for the namespace
    // index, while they are in cache: at a million objects a second pass paid every load again.
    let chunks: Vec<(Vec<Finding>, Vec<bool>, Holdings)> = starts
        .par_iter()
        .map(|&start| {
            let mut findings = Vec::new();
            let mut excluded = Vec::with_capacity(CHUNK);
            let mut holdings = Holdings::new(dir, CHUNK);
            let mut proxies = Vec::new();
            for i in start..(start + CHUNK).min(n) {
                let id = ObjectId(i as u32);
                proxies.clear();
                proxies.extend(dir.values(id, Attr::ProxyAddresses));
                excluded.push(check_object(&ctx, id, &proxies, &mut findings));
                holdings.add(dir, id, &proxies);
            }
            (findings, excluded, holdings)
        })
        .collect();
    let mut parts = Vec::with_capacity(chunks.len());
    let mut per_object = Vec::with_capacity(chunks.len());
    for (f, e, h) in chunks {
        per_object.push((f, e));
        parts.push(h);
    }
    // The index is sorted beside the findings so far (the duplicates, few, are sorted apart and
    // merged in).
    let (index, (findings, excluded)) = rayon::join(
        || Index::from_parts(dir, parts),
        || {
            let mut excluded = Vec::with_capacity(n);
            let mut findings = Vec::with_capacity(per_object.iter().map(|c| c.0.len()).sum());
            for (f, e) in per_object {
                findings.extend(f);
                excluded.extend(e);
            }
            (sorted(findings), excluded)
        },
    );
    let duplicates = sorted(index.duplicates(&ctx, &excluded));
    let mut findings = merged(findings, duplicates);
    reconcile_suggestions(&index, &mut findings);
    findings
}

/// Every per-object check of one object; `true` when an exclusion rule keeps it out of sync (its
/// other attributes are then not checked: they never reach Entra ID).
fn check_object<'a>(
    ctx: &Ctx<'a>,
    id: ObjectId,
    proxies: &[&'a str],
    findings: &mut Vec<Finding>,
) -> bool {
    let mut out = Out {
        ctx,
        dir: ctx.dir,
        id,
        kind: ctx.dir.kind(id),
        proxies,
        valid_address: None,
        findings,
    };
    if scope::check(&mut out) {
        return true;
    }
    upn::check(&mut out);
    sam::check(&mut out);
    names::check(&mut out);
    mail::check(&mut out);
    nick::check(&mut out);
    proxy::check(&mut out);
    target::check(&mut out);
    anchor::check(&mut out);
    sip::check(&mut out);
    false
}

fn field_order(f: Field) -> u16 {
    match f {
        Field::Attr(a) => a.index() as u16,
        Field::Dn => u16::MAX - 1,
        Field::Members => u16::MAX,
    }
}

/// The findings in the order of [`compare`]. Sorted as 12-byte keys (the rule's rank among the
/// ids, the object and the field, packed) that point at the findings, which move once: comparing
/// findings whole (an id compared as text, then the object) and swapping them in place was an
/// eighth of the rules' work at a million objects.
fn sorted(findings: Vec<Finding>) -> Vec<Finding> {
    let rank: HashMap<&'static str, u64> = crate::registry::all()
        .iter()
        .enumerate()
        .map(|(i, r)| (r.id, i as u64))
        .collect();
    let key = |f: &Finding| {
        // Ids are unique and `all` is sorted by id, so the rank orders as the id does.
        let rank = rank.get(f.rule.id).copied().unwrap_or(u64::from(u16::MAX));
        (rank << 48) | (u64::from(f.object.0) << 16) | u64::from(field_order(f.field))
    };
    let mut order: Vec<(u64, u32)> = findings
        .par_iter()
        .enumerate()
        .map(|(i, f)| (key(f), i as u32))
        .collect();
    order.par_sort_unstable_by(|a, b| {
        a.0.cmp(&b.0)
            .then_with(|| compare(&findings[a.1 as usize], &findings[b.1 as usize]))
    });
    let mut slots: Vec<Option<Finding>> = findings.into_iter().map(Some).collect();
    order
        .iter()
        .filter_map(|&(_, i)| slots[i as usize].take())
        .collect()
}

/// Two lists sorted by [`compare`] as one; `b`, the duplicates, is short: each of its findings
/// is placed by bisecting `a`, and the findings of `a` move in runs.
fn merged(a: Vec<Finding>, b: Vec<Finding>) -> Vec<Finding> {
    if b.is_empty() {
        return a;
    }
    let mut out = Vec::with_capacity(a.len() + b.len());
    let mut a = a.into_iter();
    for f in b {
        // Findings of `a` equal to `f` go first, as a stable merge puts them.
        let before = a
            .as_slice()
            .partition_point(|x| compare(x, &f) != Ordering::Greater);
        out.extend(a.by_ref().take(before));
        out.push(f);
    }
    out.extend(a);
    out
}

fn compare(a: &Finding, b: &Finding) -> Ordering {
    a.rule
        .id
        .cmp(b.rule.id)
        .then(a.object.cmp(&b.object))
        .then(field_order(a.field).cmp(&field_order(b.field)))
        .then_with(|| a.value.cmp(&b.value))
        .then_with(|| a.message.cmp(&b.message))
}

/// What the checks share: the directory, the context, and what was derived from them once.
pub(crate) struct Ctx<'a> {
    pub dir: &'a Directory,
    pub rc: &'a RuleContext,
    /// Verified domains, lowercase, without trailing dots.
    verified: Option<Vec<String>>,
    /// Every objectSid in the inputs, for SIP-FOREST (built only when some user has an
    /// msRTCSIP-OriginatorSID).
    pub sids: HashSet<&'a str>,
    /// Domain SIDs (`S-1-5-21-a-b-c`) known from domain records and object SIDs.
    pub domain_sids: HashSet<String>,
}

impl<'a> Ctx<'a> {
    pub fn new(dir: &'a Directory, rc: &'a RuleContext) -> Ctx<'a> {
        let verified = rc.verified_domains.as_ref().map(|v| {
            v.iter()
                .map(|d| d.trim().trim_end_matches('.').to_ascii_lowercase())
                .filter(|d| !d.is_empty())
                .collect()
        });
        let mut sids = HashSet::new();
        let mut domain_sids = HashSet::new();
        let needs_sids = dir.is_known(Attr::OriginatorSid)
            && dir
                .ids()
                .any(|i| dir.value(i, Attr::OriginatorSid).is_some());
        if needs_sids {
            for i in dir.ids() {
                if let Some(s) = dir.value(i, Attr::Sid) {
                    sids.insert(s);
                    if let Some((d, _)) = s.rsplit_once('-') {
                        domain_sids.insert(d.to_ascii_uppercase());
                    }
                }
            }
            for d in dir.domains() {
                if let Some(s) = &d.sid {
                    domain_sids.insert(s.to_ascii_uppercase());
                }
            }
        }
        Ctx {
            dir,
            rc,
            verified,
            sids,
            domain_sids,
        }
    }

    /// `Some(true)` when the domain is a verified tenant domain; `None` without a verified list.
    #[inline]
    pub fn is_verified(&self, domain: &str) -> Option<bool> {
        let v = self.verified.as_ref()?;
        let d = domain.trim_end_matches('.');
        Some(v.iter().any(|x| x.eq_ignore_ascii_case(d)))
    }

    /// The verified domains, lowercase (empty without a list).
    pub fn verified(&self) -> &[String] {
        self.verified.as_deref().unwrap_or_default()
    }

    /// Whether the account is disabled (the `Enabled` column, or bit 0x2 of userAccountControl).
    #[inline]
    pub fn is_disabled(&self, id: ObjectId) -> bool {
        self.dir.bool_attr(id, Attr::Enabled) == Some(false)
            || self
                .dir
                .int_attr(id, Attr::UserAccountControl)
                .is_some_and(|u| u & 2 != 0)
    }
}

/// Where checks emit findings for the object being checked.
pub(crate) struct Out<'c, 'a> {
    pub ctx: &'c Ctx<'a>,
    pub dir: &'a Directory,
    pub id: ObjectId,
    pub kind: ObjectKind,
    /// The object's proxyAddresses, split once for every rule that reads them.
    pub proxies: &'c [&'a str],
    /// An address of this object already found valid for every address rule (its UPN or mail):
    /// the same text in mail or an `smtp:` proxy needs no second look.
    pub valid_address: Option<&'a str>,
    findings: &'c mut Vec<Finding>,
}

impl<'a> Out<'_, 'a> {
    /// The value of `attr` (see [`Directory::attr`]: `None` unknown, `Some("")` no value).
    #[inline]
    pub fn attr(&self, attr: Attr) -> Option<&'a str> {
        self.dir.attr(self.id, attr)
    }
    #[inline]
    pub fn value(&self, attr: Attr) -> Option<&'a str> {
        self.dir.value(self.id, attr)
    }
    /// Findings emitted so far (for this object and the ones before it in the work item).
    #[inline]
    pub fn emitted(&self) -> usize {
        self.findings.len()
    }
    pub fn emit(
        &mut self,
        rule: &'static Rule,
        field: Field,
        value: &str,
        fix: Fix,
        message: Message,
    ) {
        self.findings.push(Finding {
            rule,
            severity: rule.severity,
            effect: rule.effect,
            object: self.id,
            kind: self.kind,
            field,
            value: value.to_string(),
            fix,
            message,
        });
    }
}

/// A finding of a rule on an object, outside the per-object pass (duplicates).
pub(crate) fn finding(
    dir: &Directory,
    rule: &'static Rule,
    object: ObjectId,
    field: Field,
    value: &str,
    fix: Fix,
    message: Message,
) -> Finding {
    Finding {
        rule,
        severity: rule.severity,
        effect: rule.effect,
        object,
        kind: dir.kind(object),
        field,
        value: value.to_string(),
        fix,
        message,
    }
}

/// The namespace a suggested value must be unique in, its key there, and the most characters
/// its numbered variants may have before the `@` (or in all).
fn unique_key(f: &Finding, v: &str) -> Option<(Class, String, usize)> {
    let (class, key, max) = unique_key_as_written(f, v)?;
    Some((class, key.to_lowercase(), max))
}

/// [`unique_key`] with the key as written (not yet lowercased).
fn unique_key_as_written<'v>(f: &Finding, v: &'v str) -> Option<(Class, &'v str, usize)> {
    let Field::Attr(attr) = f.field else {
        return None;
    };
    let (class, key, max) = match attr {
        Attr::UserPrincipalName | Attr::Mail => (Class::Smtp, v, 64),
        Attr::ProxyAddresses | Attr::TargetAddress if is_smtp(v) => (Class::Smtp, &v[5..], 64),
        Attr::ProxyAddresses | Attr::TargetAddress => (Class::Other, v, 0),
        Attr::MailNickname => (Class::Nick, v, 64),
        Attr::SamAccountName => {
            let max = if f.kind == ObjectKind::User { 20 } else { 256 };
            (Class::Sam, v, max)
        }
        Attr::SipAddress => (Class::Sip, super::sip::strip_sip(v), 64),
        _ => return None,
    };
    Some((class, key, max))
}

/// The suggested values claimed so far, by namespace and key: found by the key's [`key_hash`],
/// already worked out, rather than by hashing the text again (the serial pass of
/// [`reconcile_suggestions`] claims a value per suggestion, a hundred thousand at a million users).
struct Claims {
    /// The first key claimed with each hash.
    by_hash: HashMap<u64, (Class, String, ObjectId), BuildHasherDefault<Prehashed>>,
    /// Keys whose hash an earlier, different key took (a 64-bit collision: in practice never,
    /// so a list).
    collided: Vec<(Class, String, ObjectId)>,
}

impl Claims {
    fn with_capacity(n: usize) -> Claims {
        Claims {
            by_hash: HashMap::with_capacity_and_hasher(n, BuildHasherDefault::default()),
            collided: Vec::new(),
        }
    }

    /// The object that claimed `key` (whose hash is `h`) in `class`.
    fn holder(&self, h: u64, class: Class, key: &str) -> Option<ObjectId> {
        match self.by_hash.get(&h) {
            None => None,
            Some((c, k, o)) if *c == class && k == key => Some(*o),
            Some(_) => self
                .collided
                .iter()
                .find(|(c, k, _)| *c == class && k == key)
                .map(|&(_, _, o)| o),
        }
    }

    /// Claims `key` for `object`, unless an object claimed it already.
    fn claim(&mut self, h: u64, class: Class, key: String, object: ObjectId) {
        match self.by_hash.entry(h) {
            hashbrown::hash_map::Entry::Vacant(v) => {
                v.insert((class, key, object));
            }
            hashbrown::hash_map::Entry::Occupied(e) => {
                let (c, k, _) = e.get();
                let taken_by_first = *c == class && *k == key;
                let taken_since = || {
                    self.collided
                        .iter()
                        .any(|(c, k, _)| *c == class && *k == key)
                };
                if !taken_by_first && !taken_since() {
                    self.collided.push((class, key, object));
                }
            }
        }
    }
}

/// A hasher for keys that are hashes already (well mixed): it passes them through.
#[derive(Default)]
struct Prehashed(u64);

impl std::hash::Hasher for Prehashed {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.0 = self.0.rotate_left(8) ^ u64::from(b);
        }
    }
    fn write_u64(&mut self, v: u64) {
        self.0 = v;
    }
}

/// Makes every suggested value unique: not held by another object in its namespace, and not
/// suggested for another object. A colliding suggestion gets a number (`ann2@…`) or, when no
/// number helps, is dropped. Findings are visited in their final order, so the outcome is
/// deterministic; findings of one object and attribute about one value share one suggestion.
fn reconcile_suggestions(index: &Index, findings: &mut [Finding]) {
    /// What the serial pass needs of a suggestion, worked out in parallel beforehand: the index
    /// lookups are most of the cost and do not depend on the other suggestions.
    struct Suggested {
        class: Class,
        key: String,
        /// The key's [`key_hash`], worked out once.
        hash: u64,
        max: usize,
        /// Only the case of the value changes (e.g. `SMTP:` → `smtp:`): the holding is unchanged.
        same_as_before: bool,
        /// No other object holds the key in the directory.
        free_in_index: bool,
    }
    let pre: Vec<Option<Suggested>> = findings
        .par_iter()
        .map(|f| {
            let v = f.fix.value()?;
            let (class, key, max) = unique_key(f, v)?;
            let same_as_before = unique_key_as_written(f, &f.value)
                .is_some_and(|(c, k, _)| c == class && ci_eq(k, &key));
            let hash = key_hash(class, &key);
            let free_in_index =
                !same_as_before && !index.held_by_other_hashed(hash, class, &key, f.object);
            Some(Suggested {
                class,
                key,
                hash,
                max,
                same_as_before,
                free_in_index,
            })
        })
        .collect();
    // Findings of one object and attribute about one value share the suggestion of the first of
    // them: found by sorting, in parallel, rather than by a memo in the serial pass.
    let mut shared: Vec<(ObjectId, u16, &str, usize)> = findings
        .iter()
        .zip(&pre)
        .enumerate()
        .filter(|(_, (_, p))| p.is_some())
        .map(|(i, (f, _))| (f.object, field_order(f.field), f.value.as_str(), i))
        .collect();
    shared.par_sort_unstable();
    let mut same_as: Vec<Option<usize>> = vec![None; findings.len()];
    for run in shared.chunk_by(|a, b| (a.0, a.1, a.2) == (b.0, b.1, b.2)) {
        for &(_, _, _, i) in &run[1..] {
            same_as[i] = Some(run[0].3);
        }
    }
    drop(shared);
    // Decided in a read-only pass, then applied.
    enum Outcome {
        Keep,
        Set(Fix),
        SameAs(usize),
    }
    let mut outcome: Vec<Outcome> = Vec::with_capacity(findings.len());
    let mut claimed = Claims::with_capacity(pre.iter().filter(|p| p.is_some()).count());
    for (i, (f, pre)) in findings.iter().zip(pre).enumerate() {
        let Some(v) = f.fix.value() else {
            outcome.push(Outcome::Keep);
            continue;
        };
        if let Some(first) = same_as[i] {
            outcome.push(Outcome::SameAs(first));
            continue;
        }
        // Only values in a unique namespace are reconciled, and shared.
        let Some(Suggested {
            class,
            key,
            hash,
            max,
            same_as_before,
            free_in_index,
        }) = pre
        else {
            outcome.push(Outcome::Keep);
            continue;
        };
        let unclaimed = |h: u64, key: &str, claimed: &Claims| {
            claimed.holder(h, class, key).is_none_or(|o| o == f.object)
        };
        if same_as_before || (free_in_index && unclaimed(hash, &key, &claimed)) {
            claimed.claim(hash, class, key, f.object);
            outcome.push(Outcome::Keep);
            continue;
        }
        let numbered_free = (max > 0)
            .then(|| {
                (2..100u32).find_map(|n| {
                    let candidate = numbered(v, n, max)?;
                    let (_, k, _) = unique_key(f, &candidate)?;
                    let h = key_hash(class, &k);
                    let free = unclaimed(h, &k, &claimed)
                        && !index.held_by_other_hashed(h, class, &k, f.object);
                    free.then_some((candidate, k, h))
                })
            })
            .flatten();
        outcome.push(Outcome::Set(match numbered_free {
            Some((candidate, k, h)) => {
                claimed.claim(h, class, k, f.object);
                match f.fix {
                    Fix::Add(_) => Fix::Add(candidate),
                    _ => Fix::Edit(candidate),
                }
            }
            None => Fix::None,
        }));
    }
    for (i, o) in outcome.into_iter().enumerate() {
        match o {
            Outcome::Keep => {}
            Outcome::Set(fix) => findings[i].fix = fix,
            // `first < i` and is final already: the findings are applied in order.
            Outcome::SameAs(first) => findings[i].fix = findings[first].fix.clone(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::{Claims, Class};
    use hybridready_directory::ObjectId;

    #[test]
    fn claims_tell_apart_keys_whose_hashes_collide() {
        let mut claims = Claims::with_capacity(4);
        claims.claim(7, Class::Smtp, "ann@x.com".into(), ObjectId(1));
        // Another key with the same hash, and the same key in another namespace.
        claims.claim(7, Class::Smtp, "bob@x.com".into(), ObjectId(2));
        claims.claim(7, Class::Nick, "ann@x.com".into(), ObjectId(3));
        // A later claim never takes a key over.
        claims.claim(7, Class::Smtp, "bob@x.com".into(), ObjectId(4));
        assert_eq!(
            claims.holder(7, Class::Smtp, "ann@x.com"),
            Some(ObjectId(1))
        );
        assert_eq!(
            claims.holder(7, Class::Smtp, "bob@x.com"),
            Some(ObjectId(2))
        );
        assert_eq!(
            claims.holder(7, Class::Nick, "ann@x.com"),
            Some(ObjectId(3))
        );
        assert_eq!(claims.holder(7, Class::Sam, "ann@x.com"), None);
        assert_eq!(claims.holder(8, Class::Smtp, "ann@x.com"), None);
    }
}
