//! The uniqueness namespaces, indexed in one pass: every value that must be unique is hashed
//! once (case-insensitively), the `(hash, holder)` entries are sorted, and equal hashes are
//! grouped. Duplicates are the groups with more than one holder: no pair of objects is ever
//! compared, and the index keeps no copy of any value (an entry is 16 bytes).
//!
//! The SMTP namespace is one: `mail`, every `smtp:` proxy with its prefix stripped, an `smtp:`
//! targetAddress, and users' UPNs (Entra soft-matches on UPN and proxy addresses), across users,
//! groups and contacts. IdFix keys its duplicate store by attribute name, so `mail=a@x` never
//! meets `proxyAddresses=smtp:a@x`; here it does, and every holder gets a finding naming the
//! others. The other namespaces: non-SMTP proxies and targets (whole value), mailNickname,
//! sAMAccountName, SIP address, and the sourceAnchor candidates (objectGUID and
//! mS-DS-ConsistencyGuid).

use super::eval::{Ctx, finding};
use super::text::is_smtp;
use super::{Field, Finding, Fix, Message, anchor, mail, nick, proxy, sam, sip, target, upn};
use hybridready_assessment::finding::{DuplicateOf, Holder, ObjectClass};
use hybridready_directory::fold::{ci_eq, ci_eq_known, fold, swar_lower};
use hybridready_directory::{Attr, Directory, ObjectId, ObjectKind};
use rayon::prelude::*;
use std::collections::BTreeMap;

/// A namespace whose values must be unique across objects.
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Debug)]
pub enum Class {
    Smtp,
    /// Non-SMTP proxy addresses and targets (`X500:…`, `SIP:…`), compared whole.
    Other,
    Nick,
    /// Per domain.
    Sam,
    Sip,
    Anchor,
}

/// Where a holder holds a value.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Debug)]
#[repr(u8)]
enum Src {
    Upn = 0,
    Mail = 1,
    Proxy = 2,
    Target = 3,
    ProxyOther = 4,
    TargetOther = 5,
    Nick = 6,
    Sam = 7,
    Sip = 8,
    Guid = 9,
    ConsistencyGuid = 10,
}

const SRCS: [Src; 11] = [
    Src::Upn,
    Src::Mail,
    Src::Proxy,
    Src::Target,
    Src::ProxyOther,
    Src::TargetOther,
    Src::Nick,
    Src::Sam,
    Src::Sip,
    Src::Guid,
    Src::ConsistencyGuid,
];

impl Src {
    fn class(self) -> Class {
        match self {
            Src::Upn | Src::Mail | Src::Proxy | Src::Target => Class::Smtp,
            Src::ProxyOther | Src::TargetOther => Class::Other,
            Src::Nick => Class::Nick,
            Src::Sam => Class::Sam,
            Src::Sip => Class::Sip,
            Src::Guid | Src::ConsistencyGuid => Class::Anchor,
        }
    }
    fn attr(self) -> Attr {
        match self {
            Src::Upn => Attr::UserPrincipalName,
            Src::Mail => Attr::Mail,
            Src::Proxy | Src::ProxyOther => Attr::ProxyAddresses,
            Src::Target | Src::TargetOther => Attr::TargetAddress,
            Src::Nick => Attr::MailNickname,
            Src::Sam => Attr::SamAccountName,
            Src::Sip => Attr::SipAddress,
            Src::Guid => Attr::ObjectGuid,
            Src::ConsistencyGuid => Attr::ConsistencyGuid,
        }
    }
    fn bit(self) -> u16 {
        1 << self as u8
    }
}

/// One object's holding of one value: its hash, then `object << 32 | sources << 16 | slot`, where
/// `sources` is the set of attributes holding it (an object's UPN, mail and primary SMTP address
/// are usually one value: one entry) and `slot` the position of the proxy address among the
/// object's proxyAddresses. Ordered by hash first, so equal values are adjacent after sorting.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Debug, bytemuck::Zeroable)]
struct Entry {
    hash: u64,
    packed: u64,
}

impl Entry {
    fn new(hash: u64, obj: ObjectId, src: Src, slot: u16) -> Entry {
        Entry {
            hash,
            packed: ((obj.0 as u64) << 32) | ((src.bit() as u64) << 16) | slot as u64,
        }
    }
    /// The same holding, also through `src` (at `slot`, if it is a proxy address).
    fn and(self, src: Src, slot: u16) -> Entry {
        let mut packed = self.packed | ((src.bit() as u64) << 16);
        if matches!(src, Src::Proxy | Src::ProxyOther)
            && !self.has(Src::Proxy)
            && !self.has(Src::ProxyOther)
        {
            packed = (packed & !0xffff) | slot as u64;
        }
        Entry {
            hash: self.hash,
            packed,
        }
    }
    fn obj(self) -> ObjectId {
        ObjectId((self.packed >> 32) as u32)
    }
    fn has(self, src: Src) -> bool {
        (self.packed >> 16) as u16 & src.bit() != 0
    }
    fn srcs(self) -> impl Iterator<Item = Src> {
        SRCS.into_iter().filter(move |&s| self.has(s))
    }
    /// The namespace (every source of one entry is in the same one).
    fn class(self) -> Class {
        self.srcs().next().map_or(Class::Smtp, Src::class)
    }
    fn slot(self) -> usize {
        (self.packed & 0xffff) as usize
    }
}

/// The 64-bit multiply folded to 64 bits: the mixing step of wyhash and foldhash.
fn folded_mul(a: u64, b: u64) -> u64 {
    let r = (a as u128) * (b as u128);
    (r as u64) ^ ((r >> 64) as u64)
}

/// A case-insensitive hash of a key in its namespace (salted by the class, so `ann@x` as an SMTP
/// address and as a SIP address fall in different runs once sorted).
pub(crate) fn key_hash(class: Class, key: &str) -> u64 {
    const K: [u64; 3] = [
        0x243f_6a88_85a3_08d3,
        0x1319_8a2e_0370_7344,
        0xa409_3822_299f_31d0,
    ];
    let folded = fold(key);
    let bytes = folded.as_bytes();
    let salt = (class as u64) << 32;
    let mut h = folded_mul(salt ^ bytes.len() as u64 ^ K[0], K[1]);
    let mut words = bytes.chunks_exact(8);
    for chunk in &mut words {
        let w = u64::from_le_bytes(chunk.try_into().unwrap_or_default());
        h = folded_mul(h ^ swar_lower(w), K[1]);
    }
    let tail = words.remainder();
    if !tail.is_empty() {
        // A key of 8 bytes or more ends with its last 8 bytes read at once (overlapping the last
        // word, shifted past it): a copy of a variable length costs a call.
        let w = match bytes.last_chunk::<8>() {
            Some(last) => u64::from_le_bytes(*last) >> (8 * (8 - tail.len())),
            None => {
                let mut w = [0u8; 8];
                w[..tail.len()].copy_from_slice(tail);
                u64::from_le_bytes(w)
            }
        };
        h = folded_mul(h ^ swar_lower(w), K[1]);
    }
    folded_mul(h, K[2])
}

/// A value in its namespace: the class and the lowercase key.
type GroupKey = (Class, String);

/// The index: every holding of every unique-namespace value, sorted by hash.
pub struct Index<'a> {
    dir: &'a Directory,
    entries: Vec<Entry>,
    /// Where the entries whose hash starts with each `bucket_bits`-bit prefix begin (one more
    /// element at the end): a lookup jumps to its few entries instead of bisecting millions, each
    /// step of which is a cache miss.
    bucket_starts: Vec<u32>,
    bucket_bits: u32,
}

impl<'a> Index<'a> {
    /// The index of the values the per-object pass collected (every object's, in parallel
    /// work items), sorted.
    pub fn from_parts(dir: &'a Directory, parts: Vec<Holdings<'_>>) -> Index<'a> {
        let parts: Vec<(Vec<Entry>, Vec<u32>)> =
            parts.into_par_iter().map(Holdings::grouped).collect();
        let (entries, bucket_starts, bucket_bits) = sort_by_hash(&parts);
        Index {
            dir,
            entries,
            bucket_starts,
            bucket_bits,
        }
    }

    /// Entries held in the index.
    pub fn len(&self) -> usize {
        self.entries.len()
    }
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// The value an entry stands for, as stored (prefixes `smtp:`/`sip:` stripped), and the
    /// whole stored value it came from.
    fn key(&self, e: Entry, src: Src) -> Option<(&'a str, &'a str)> {
        let dir = self.dir;
        let obj = e.obj();
        let whole = match src {
            Src::Proxy | Src::ProxyOther => dir.values(obj, Attr::ProxyAddresses).nth(e.slot())?,
            _ => dir.value(obj, src.attr())?,
        };
        let key = match src {
            Src::Proxy | Src::Target => whole.get(5..)?,
            Src::Sip => sip::strip_sip(whole),
            _ => whole,
        };
        Some((key, whole))
    }

    /// Whether an object other than `me` holds `key`, whose [`key_hash`] is `h`, in the
    /// namespace (any attribute of it).
    pub fn held_by_other_hashed(&self, h: u64, class: Class, key: &str, me: ObjectId) -> bool {
        let b = (h >> (64 - self.bucket_bits)) as usize;
        let bucket =
            &self.entries[self.bucket_starts[b] as usize..self.bucket_starts[b + 1] as usize];
        let start = bucket.partition_point(|e| e.hash < h);
        // `me`'s own entries are passed over before their value is loaded to be compared: a
        // suggestion is most often a value its object already holds (a UPN moved to the domain
        // of its mail), and at a million objects every load of a value is a cache miss.
        bucket[start..]
            .iter()
            .take_while(|e| e.hash == h)
            .any(|&e| {
                e.obj() != me
                    && e.class() == class
                    && e.srcs()
                        .next()
                        .and_then(|s| self.key(e, s))
                        .is_some_and(|(k, _)| ci_eq(k, key))
            })
    }

    /// One finding per holder of every value held by more than one object that syncs.
    pub(crate) fn duplicates(&self, ctx: &Ctx, excluded: &[bool]) -> Vec<Finding> {
        // Runs of equal hash holding more than one object. Entries are sorted by object within a
        // hash, so a run whose first and last objects are equal is one object's own values (its
        // mail, its primary SMTP proxy and its UPN, usually) and is skipped without a look.
        // Found per top byte of the hash, in parallel (equal hashes share it).
        let per_top = 1usize << (self.bucket_bits - 8);
        let runs: Vec<(usize, usize)> = (0..256usize)
            .into_par_iter()
            .flat_map_iter(|b| {
                let from = self.bucket_starts[b * per_top] as usize;
                let to = self.bucket_starts[(b + 1) * per_top] as usize;
                let mut runs = Vec::new();
                let mut i = from;
                while i < to {
                    let h = self.entries[i].hash;
                    let mut j = i + 1;
                    while j < to && self.entries[j].hash == h {
                        j += 1;
                    }
                    if j - i > 1 && self.entries[i].obj() != self.entries[j - 1].obj() {
                        runs.push((i, j));
                    }
                    i = j;
                }
                runs
            })
            .collect();
        runs.par_iter()
            .flat_map_iter(|&(a, b)| self.run_findings(ctx, &self.entries[a..b], excluded))
            .collect()
    }

    fn run_findings(&self, ctx: &Ctx, run: &[Entry], excluded: &[bool]) -> Vec<Finding> {
        // Split the run by exact (class, key): a hash collision between different values
        // must not become a duplicate.
        let mut groups: BTreeMap<GroupKey, Vec<(ObjectId, Src, &str)>> = BTreeMap::new();
        for &e in run {
            if excluded.get(e.obj().index()).copied().unwrap_or(false) {
                continue;
            }
            for src in e.srcs() {
                let Some((key, whole)) = self.key(e, src) else {
                    continue;
                };
                let class = src.class();
                groups
                    .entry((class, lowercase(key)))
                    .or_default()
                    .push((e.obj(), src, whole));
            }
        }
        let mut out = Vec::new();
        for ((class, key), entries) in groups {
            let mut holders: BTreeMap<ObjectId, Vec<(Src, &str)>> = BTreeMap::new();
            for (obj, src, whole) in entries {
                holders.entry(obj).or_default().push((src, whole));
            }
            if holders.len() > 1 {
                self.group_findings(ctx, class, &key, &holders, &mut out);
            }
        }
        out
    }

    fn group_findings(
        &self,
        ctx: &Ctx,
        class: Class,
        key: &str,
        holders: &BTreeMap<ObjectId, Vec<(Src, &str)>>,
        out: &mut Vec<Finding>,
    ) {
        let dir = ctx.dir;
        let named = named_holders(dir, holders);
        let mask_of = |h: &[(Src, &str)]| h.iter().fold(0u16, |m, (s, _)| m | s.bit());
        let mut counts = [0u32; 11];
        for h in holders.values() {
            for s in SRCS {
                if mask_of(h) & s.bit() != 0 {
                    counts[s as usize] += 1;
                }
            }
        }
        for (&obj, held) in holders {
            let h = mask_of(held);
            let has = |s: Src| h & s.bit() != 0;
            let others = |s: Src| counts[s as usize] > u32::from(has(s));
            let value_of = |s: Src| held.iter().find(|(x, _)| *x == s).map(|(_, w)| *w);
            let (others_named, more) = other_holders(obj, &named, holders.len());
            let mut emit = |rule, src: Src, fix: Fix, what: DuplicateOf| {
                let value = value_of(src).unwrap_or(key);
                let message = Message::Duplicate {
                    attribute: what,
                    value: value.to_string(),
                    others: others_named.clone(),
                    more,
                };
                out.push(finding(
                    dir,
                    rule,
                    obj,
                    Field::Attr(src.attr()),
                    value,
                    fix,
                    message,
                ));
            };
            match class {
                Class::Smtp => {
                    let (u, m, p, t) = (Src::Upn, Src::Mail, Src::Proxy, Src::Target);
                    if has(u) && (others(u) || h == u.bit()) {
                        let what = if others(u) {
                            DuplicateOf::Upn
                        } else {
                            DuplicateOf::UpnSoftMatch
                        };
                        emit(&upn::UPN_DUP, u, Fix::None, what);
                    }
                    if has(m) && others(m) {
                        emit(&mail::MAIL_DUP, m, Fix::None, DuplicateOf::Mail);
                    }
                    if has(t) && others(t) {
                        emit(&target::TA_DUP, t, Fix::None, DuplicateOf::TargetAddress);
                    }
                    let holds_address = has(m) || has(p) || has(t);
                    let cross = has(p)
                        || others(p)
                        || (others(u) && !has(u))
                        || (has(m) && others(t))
                        || (has(t) && others(m));
                    if holds_address && cross {
                        let src = if has(p) {
                            p
                        } else if has(m) {
                            m
                        } else {
                            t
                        };
                        let fix = if src == p && self.secondary_to_drop(obj, held, holders) {
                            Fix::Remove
                        } else {
                            Fix::None
                        };
                        emit(&proxy::PA_DUP, src, fix, DuplicateOf::Address);
                    }
                }
                Class::Other => {
                    let (po, to) = (Src::ProxyOther, Src::TargetOther);
                    if has(to) && others(to) {
                        emit(&target::TA_DUP, to, Fix::None, DuplicateOf::TargetAddress);
                    }
                    if has(po) || others(po) {
                        let src = if has(po) { po } else { to };
                        emit(&proxy::PA_DUP, src, Fix::None, DuplicateOf::Address);
                    }
                }
                Class::Nick => emit(
                    &nick::NICK_DUP,
                    Src::Nick,
                    Fix::None,
                    DuplicateOf::MailNickname,
                ),
                Class::Sam => emit(
                    &sam::SAM_DUP,
                    Src::Sam,
                    Fix::None,
                    DuplicateOf::SamAccountName,
                ),
                Class::Sip => emit(&sip::SIP_DUP, Src::Sip, Fix::None, DuplicateOf::SipAddress),
                Class::Anchor => {
                    let src = if has(Src::ConsistencyGuid) {
                        Src::ConsistencyGuid
                    } else {
                        Src::Guid
                    };
                    emit(
                        &anchor::ANCHOR_DUP,
                        src,
                        Fix::None,
                        DuplicateOf::SourceAnchor,
                    );
                }
            }
        }
    }

    /// Whether this holder's proxy is a secondary (`smtp:`) copy of an address another holder
    /// owns (as its mail, UPN or primary `SMTP:`), so dropping it resolves the duplicate.
    fn secondary_to_drop(
        &self,
        obj: ObjectId,
        held: &[(Src, &str)],
        holders: &BTreeMap<ObjectId, Vec<(Src, &str)>>,
    ) -> bool {
        let owns = |h: &[(Src, &str)]| {
            h.iter().any(|(s, w)| {
                matches!(s, Src::Mail | Src::Upn) || (*s == Src::Proxy && w.starts_with("SMTP:"))
            })
        };
        let secondary_only = held
            .iter()
            .all(|(s, w)| *s == Src::Proxy && w.starts_with("smtp:"));
        secondary_only && holders.iter().any(|(&o, h)| o != obj && owns(h))
    }
}

/// The key two values are equal under (Unicode lowercase; ASCII without allocating twice).
fn lowercase(s: &str) -> String {
    if s.is_ascii() {
        s.to_ascii_lowercase()
    } else {
        s.to_lowercase()
    }
}

/// Most other holders a duplicate message names; each holder has its own finding anyway.
const MAX_NAMED: usize = 10;

/// The first holders as duplicate messages name them: computed once per value, so a value held
/// by thousands costs thousands, not millions.
fn named_holders(
    dir: &Directory,
    holders: &BTreeMap<ObjectId, Vec<(Src, &str)>>,
) -> Vec<(ObjectId, Holder)> {
    holders
        .iter()
        .take(MAX_NAMED + 1)
        .map(|(&o, held)| {
            let mut attributes: Vec<String> = held
                .iter()
                .map(|(s, _)| s.attr().ldap_name().to_string())
                .collect();
            attributes.dedup();
            let class = match dir.kind(o) {
                ObjectKind::User => ObjectClass::User,
                ObjectKind::Group => ObjectClass::Group,
                ObjectKind::Contact => ObjectClass::Contact,
            };
            let name = object_name(dir, o);
            (
                o,
                Holder {
                    name,
                    class,
                    attributes,
                },
            )
        })
        .collect()
}

/// The other holders of a value a message of `me`'s finding names, and how many more there are.
fn other_holders(me: ObjectId, named: &[(ObjectId, Holder)], holders: usize) -> (Vec<Holder>, u64) {
    let shown: Vec<Holder> = named
        .iter()
        .filter(|(o, _)| *o != me)
        .take(MAX_NAMED)
        .map(|(_, h)| h.clone())
        .collect();
    let more = holders.saturating_sub(1 + shown.len()) as u64;
    (shown, more)
}

/// How findings name an object: its DN, else its label.
pub fn object_name(dir: &Directory, id: ObjectId) -> String {
    dir.dn(id)
        .map(str::to_string)
        .unwrap_or_else(|| dir.label(id))
}

/// The entries of every part, sorted, with where each `bucket_bits`-bit prefix of the hash
/// starts (one more element at the end) and `bucket_bits`: about one entry per bucket, at least
/// 256.
///
/// Each part is grouped by the top byte of the hash already, so each of the 256 runs of the
/// result is gathered from every part, sorted and its buckets found by a task of its own, in
/// parallel and in cache.
fn sort_by_hash(parts: &[(Vec<Entry>, Vec<u32>)]) -> (Vec<Entry>, Vec<u32>, u32) {
    let mut starts = [0usize; 257];
    for (_, s) in parts {
        for b in 0..256 {
            starts[b + 1] += (s[b + 1] - s[b]) as usize;
        }
    }
    for i in 1..257 {
        starts[i] += starts[i - 1];
    }
    let total = starts[256];
    let bucket_bits = (usize::BITS - total.leading_zeros())
        .saturating_sub(1)
        .clamp(8, 26);
    // Zeroed memory comes from the allocator ready-made: filling the vector first was a pass
    // over it all, page faults included, before the copy that overwrites it.
    let mut entries: Vec<Entry> = bytemuck::zeroed_vec(total);
    let mut bucket_starts = vec![0u32; (1usize << bucket_bits) + 1];
    bucket_starts[1 << bucket_bits] = total as u32;
    let mut runs: Vec<&mut [Entry]> = Vec::with_capacity(256);
    let mut rest: &mut [Entry] = &mut entries;
    for b in 0..256 {
        let (head, tail) = rest.split_at_mut(starts[b + 1] - starts[b]);
        runs.push(head);
        rest = tail;
    }
    let per_run = 1usize << (bucket_bits - 8);
    runs.into_par_iter()
        .zip(bucket_starts.par_chunks_mut(per_run))
        .enumerate()
        .for_each(|(b, (run, run_starts))| {
            sort_run(
                parts
                    .iter()
                    .map(|(v, s)| &v[s[b] as usize..s[b + 1] as usize]),
                run,
            );
            let mut i = 0;
            for (k, start) in run_starts.iter_mut().enumerate() {
                let bucket = ((b << (bucket_bits - 8)) | k) as u64;
                while i < run.len() && run[i].hash >> (64 - bucket_bits) < bucket {
                    i += 1;
                }
                *start = (starts[b] + i) as u32;
            }
        });
    (entries, bucket_starts, bucket_bits)
}

/// Sorts into `run` the entries of `sources` (all sharing the top byte of their hash): a counting
/// sort on the next bits, straight from the sources (the hashes are uniform, so it leaves a
/// handful of entries per group), then each group on its own. A comparison sort of the whole run
/// cost a third of the rules' instructions.
fn sort_run<'e>(sources: impl Iterator<Item = &'e [Entry]> + Clone, run: &mut [Entry]) {
    let n = run.len();
    if n <= 64 {
        let mut at = 0;
        for from in sources {
            run[at..at + from.len()].copy_from_slice(from);
            at += from.len();
        }
        run.sort_unstable();
        return;
    }
    let bits = (usize::BITS - n.leading_zeros()).clamp(1, 16);
    let starts = scatter(sources, run, 1 << bits, |e| {
        ((e.hash >> (56 - bits)) & ((1 << bits) - 1)) as usize
    });
    for w in starts.windows(2) {
        run[w[0] as usize..w[1] as usize].sort_unstable();
    }
}

/// `entries` in order of `group` (a counting sort: stable, so entries of one group keep their
/// order), and where each of the `groups` groups starts (one more element at the end).
fn scattered(
    entries: &[Entry],
    groups: usize,
    group: impl Fn(&Entry) -> usize,
) -> (Vec<Entry>, Vec<u32>) {
    let mut out: Vec<Entry> = bytemuck::zeroed_vec(entries.len());
    let starts = scatter(std::iter::once(entries), &mut out, groups, group);
    (out, starts)
}

/// Writes the entries of `sources`, in order, into `out` (exactly as long) in order of `group`,
/// and returns where each of the `groups` groups starts (one more element at the end).
fn scatter<'e>(
    sources: impl Iterator<Item = &'e [Entry]> + Clone,
    out: &mut [Entry],
    groups: usize,
    group: impl Fn(&Entry) -> usize,
) -> Vec<u32> {
    let mut starts = vec![0u32; groups + 1];
    for e in sources.clone().flatten() {
        starts[group(e) + 1] += 1;
    }
    for i in 1..starts.len() {
        starts[i] += starts[i - 1];
    }
    let mut next = starts.clone();
    for &e in sources.flatten() {
        let g = group(&e);
        out[next[g] as usize] = e;
        next[g] += 1;
    }
    starts
}

/// The index entries of the objects of one work item, collected beside their checks.
pub struct Holdings<'d> {
    entries: Vec<Entry>,
    /// The SMTP keys of the object being added (scratch, reused from object to object).
    smtp: Vec<SmtpKey<'d>>,
    /// objectGUID is the builder's first identity key, so two objects never share one: it only
    /// needs indexing against mS-DS-ConsistencyGuid values, when there are any.
    guids: bool,
}

impl<'d> Holdings<'d> {
    pub fn new(dir: &Directory, objects: usize) -> Holdings<'d> {
        Holdings {
            entries: Vec::with_capacity(objects * 8),
            smtp: Vec::new(),
            guids: dir.is_known(Attr::ConsistencyGuid),
        }
    }

    /// The entries grouped by the top byte of their hash (within a group they stay in object
    /// order), and where each of the 256 groups starts.
    fn grouped(self) -> (Vec<Entry>, Vec<u32>) {
        scattered(&self.entries, 256, |e| (e.hash >> 56) as usize)
    }

    /// Every unique-namespace value of `id`, whose proxyAddresses are `proxies`.
    pub fn add(&mut self, dir: &'d Directory, id: ObjectId, proxies: &[&'d str]) {
        holdings(
            dir,
            id,
            self.guids,
            proxies,
            &mut self.entries,
            &mut self.smtp,
        );
    }
}

/// An SMTP key of the object being added, and where its entry is among the object's.
struct SmtpKey<'d> {
    entry: usize,
    key: &'d str,
    /// Whether the key is ASCII, worked out once: two ASCII keys of different lengths differ
    /// without a look at their bytes.
    ascii: bool,
}

impl SmtpKey<'_> {
    fn same_as(&self, other: &str, other_ascii: bool) -> bool {
        ci_eq_known(self.key, self.ascii, other, other_ascii)
    }
}

/// Every unique-namespace value of one object.
fn holdings<'d>(
    dir: &'d Directory,
    id: ObjectId,
    guids: bool,
    proxies: &[&'d str],
    out: &mut Vec<Entry>,
    smtp: &mut Vec<SmtpKey<'d>>,
) {
    let kind = dir.kind(id);
    let first = out.len();
    // SMTP keys of this object so far: a repeat (mail equal to the UPN and to the primary
    // address) joins the entry already pushed instead of adding one.
    smtp.clear();
    let mut push = |class: Class, key: &'d str, src: Src, slot: u16| {
        if key.is_empty() {
            return;
        }
        if class == Class::Smtp {
            let ascii = key.is_ascii();
            if let Some(k) = smtp.iter().find(|k| k.same_as(key, ascii)) {
                out[first + k.entry] = out[first + k.entry].and(src, slot);
                return;
            }
            smtp.push(SmtpKey {
                entry: out.len() - first,
                key,
                ascii,
            });
        }
        out.push(Entry::new(key_hash(class, key), id, src, slot));
    };
    if kind == ObjectKind::User
        && let Some(v) = dir.value(id, Attr::UserPrincipalName)
    {
        push(Class::Smtp, v, Src::Upn, 0);
    }
    if let Some(v) = dir.value(id, Attr::Mail) {
        push(Class::Smtp, v, Src::Mail, 0);
    }
    for (i, &p) in proxies.iter().enumerate().take(u16::MAX as usize) {
        if is_smtp(p) {
            push(Class::Smtp, &p[5..], Src::Proxy, i as u16);
        } else {
            push(Class::Other, p, Src::ProxyOther, i as u16);
        }
    }
    if let Some(t) = dir.value(id, Attr::TargetAddress) {
        if is_smtp(t) {
            push(Class::Smtp, &t[5..], Src::Target, 0);
        } else {
            push(Class::Other, t, Src::TargetOther, 0);
        }
    }
    if let Some(v) = dir.value(id, Attr::MailNickname) {
        push(Class::Nick, v, Src::Nick, 0);
    }
    if kind != ObjectKind::Contact
        && let Some(v) = dir.value(id, Attr::SamAccountName)
    {
        // Across domains too: AD allows it, but a UPN-less account's fallback identity collides,
        // and IdFix reports it.
        push(Class::Sam, v, Src::Sam, 0);
    }
    if dir.is_sfb_enabled(id)
        && let Some(v) = dir.value(id, Attr::SipAddress)
    {
        push(Class::Sip, sip::strip_sip(v), Src::Sip, 0);
    }
    if guids && let Some(v) = dir.value(id, Attr::ObjectGuid) {
        push(Class::Anchor, v, Src::Guid, 0);
    }
    if let Some(v) = dir.value(id, Attr::ConsistencyGuid) {
        push(Class::Anchor, v, Src::ConsistencyGuid, 0);
    }
}

#[cfg(test)]
mod tests {
    use super::{Class, Entry, key_hash, sort_by_hash};

    /// Every byte of a key counts, at every length (the last word is read in one piece, shifted
    /// or padded), and case never does.
    #[test]
    fn key_hash_reads_every_byte_and_ignores_case() {
        for len in 1..=40 {
            let key: String = (0..len).map(|i| (b'a' + (i % 26) as u8) as char).collect();
            let h = key_hash(Class::Smtp, &key);
            assert_eq!(h, key_hash(Class::Smtp, &key.to_uppercase()), "{key}");
            assert_ne!(h, key_hash(Class::Sip, &key), "{key}");
            for at in 0..len {
                let mut other = key.clone().into_bytes();
                other[at] = b'_';
                let other = String::from_utf8(other).unwrap();
                assert_ne!(h, key_hash(Class::Smtp, &other), "{key} vs {other}");
            }
            assert_ne!(h, key_hash(Class::Smtp, &format!("{key}a")), "{key}");
        }
    }

    /// The index's sort against a plain sort, with its bucket starts against a walk of the
    /// result: runs of every size, repeated hashes (one value held by many objects), and hashes
    /// that share long prefixes.
    #[test]
    fn sorting_by_hash_matches_a_plain_sort() {
        let mut x = 0x9e37_79b9_7f4a_7c15u64;
        let mut next = move || {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            x
        };
        for total in [0usize, 1, 70, 5_000, 150_000] {
            let mut all = Vec::new();
            let mut parts = Vec::new();
            let mut object = 0u64;
            while all.len() < total {
                let mut part = Vec::new();
                for _ in 0..(next() % 4000).min((total - all.len()) as u64) {
                    let hash = match next() % 10 {
                        0 => 0x1234_5678_9abc_def0,
                        1 => 0xab00_0000_0000_0000 | (next() % 64),
                        _ => next(),
                    };
                    object += 1 + next() % 3;
                    part.push(Entry {
                        hash,
                        packed: object << 32,
                    });
                }
                all.extend_from_slice(&part);
                let mut starts = vec![0u32; 257];
                part.sort_by_key(|e| e.hash >> 56);
                for e in &part {
                    starts[(e.hash >> 56) as usize + 1] += 1;
                }
                for i in 1..257 {
                    starts[i] += starts[i - 1];
                }
                parts.push((part, starts));
            }
            all.sort_unstable();
            let (sorted, bucket_starts, bits) = sort_by_hash(&parts);
            assert_eq!(sorted, all, "{total} entries");
            assert_eq!(bucket_starts.len(), (1 << bits) + 1);
            for (b, &start) in bucket_starts.iter().enumerate() {
                let want = all.partition_point(|e| e.hash >> (64 - bits) < b as u64);
                assert_eq!(start as usize, want, "bucket {b} of {total} entries");
            }
        }
    }
}
