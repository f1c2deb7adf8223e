//! Building the directory: batches of rows in, one merged [`Directory`] out.
//!
//! The ingest parses files (in parallel) into [`RecordBatch`]es whose text and DNs are local to the
//! batch; [`DirectoryBuilder::absorb`] merges them, in file order, into the global interner and the
//! identity indexes; [`DirectoryBuilder::finish`] resolves every reference once all files are in.
//! Absorbing in a fixed order makes ids, and so every output, independent of thread timing.
//!
//! Row accounting: each row of each file ends up accepted (a new object, OU, domain, trust or
//! membership edge), merged (into one already known) or rejected (with its line and reason).

use super::dn::{self, DnError, DnId, DnInterner};
use super::fold::{ci_eq, ci_hash, ci_hash_str, fold};
use super::text::{TextArena, TextRef};
use super::{
    Adjacency, Attr, Conflict, Directory, Domain, DomainId, DomainOrigin, MAX_EXAMPLES, NONE,
    ObjectKind, Ou, SourceRef, Trust, Unresolved, ValueKind,
};
use hashbrown::{HashMap, HashTable};
use rayon::prelude::*;
use serde::Serialize;
use std::collections::BTreeMap;
use std::ops::Range;

/// Index of an input file (or XLSX sheet) in the order the ingest read them.
#[derive(Clone, Copy, PartialEq, Eq, Hash, Debug, PartialOrd, Ord, Serialize)]
pub struct FileId(pub u32);

/// A row the builder could not use.
#[derive(Clone, Debug, Serialize, PartialEq, Eq)]
pub struct Rejection {
    pub line: u64,
    pub reason: String,
}

/// Where every row of one file went: `rows = accepted + merged + rejected`.
#[derive(Clone, Debug, Default, Serialize)]
pub struct FileAccount {
    pub rows: u64,
    pub accepted: u64,
    pub merged: u64,
    pub rejected: u64,
    /// The first rejections, with their lines.
    pub rejections: Vec<Rejection>,
    /// Every rejection counted by reason (the reason without its row-specific detail).
    pub rejected_by_reason: BTreeMap<String, u64>,
}

impl FileAccount {
    fn reject(&mut self, line: u64, reason: String, category: &str) {
        self.rows += 1;
        self.rejected += 1;
        *self
            .rejected_by_reason
            .entry(category.to_string())
            .or_default() += 1;
        if self.rejections.len() < MAX_EXAMPLES {
            self.rejections.push(Rejection { line, reason });
        }
    }
    /// The accounting invariant.
    pub fn balances(&self) -> bool {
        self.rows == self.accepted + self.merged + self.rejected
    }
}

/// What a row describes.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum RowWhat {
    Object(ObjectKind),
    /// An organizational unit record (its DN is the row's DN).
    Ou,
    /// A fact about the domain record at this index of [`RecordBatch::domains`].
    Domain(u32),
    /// The trust at this index of [`RecordBatch::trusts`].
    Trust(u32),
    /// One member→group edge, given by the row's `Group` and `Member` refs.
    Membership,
    /// Refused by the ingest: `(category, full reason)`.
    Rejected(String, String),
}

/// What a reference means for the row's object.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RefKind {
    /// The row's object is a member of the target group.
    MemberOf,
    /// The target is a member of the row's group.
    Members,
    /// The target is the row's object's manager.
    Manager,
    /// The target is the row's object's primary group (a `PrimaryGroup` DN column).
    PrimaryGroup,
    /// On a membership row: the group.
    Group,
    /// On a membership row: the member.
    Member,
}

impl RefKind {
    fn as_str(self) -> &'static str {
        match self {
            RefKind::MemberOf => "memberOf",
            RefKind::Members => "member",
            RefKind::Manager => "manager",
            RefKind::PrimaryGroup => "primary group",
            RefKind::Group => "group",
            RefKind::Member => "member",
        }
    }
}

/// How a reference names its target.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RefTarget {
    Dn(DnId),
    Guid(TextRef),
    Sid(TextRef),
    /// `DOMAIN\sAMAccountName`.
    Account(TextRef),
    Upn(TextRef),
    Sam(TextRef),
    /// A common name or sAMAccountName (ADRecon's `Group Name`, a free-form `Group` column).
    Name(TextRef),
}

#[derive(Clone, Copy, Debug)]
pub struct BatchRef {
    pub kind: RefKind,
    pub target: RefTarget,
}

#[derive(Clone, Debug)]
pub struct BatchRow {
    pub line: u64,
    pub what: RowWhat,
    pub dn: Option<DnId>,
    pub values: Range<u32>,
    pub refs: Range<u32>,
}

#[derive(Clone, Debug, Default)]
pub struct DomainRecord {
    pub name: String,
    pub netbios: Option<String>,
    pub sid: Option<String>,
}

#[derive(Clone, Debug, Default)]
pub struct TrustRecord {
    pub source: String,
    pub target: String,
    pub direction: Option<String>,
    pub trust_type: Option<String>,
    pub attributes: Option<String>,
}

/// Rows of one file (or a chunk of one), with text and DNs local to the batch.
#[derive(Debug)]
pub struct RecordBatch {
    pub file: FileId,
    pub text: TextArena,
    pub dns: DnInterner,
    pub rows: Vec<BatchRow>,
    pub values: Vec<(Attr, TextRef)>,
    pub refs: Vec<BatchRef>,
    pub domains: Vec<DomainRecord>,
    pub trusts: Vec<TrustRecord>,
}

/// Marks where a row's values and refs start, so a row can be finished or abandoned.
#[derive(Clone, Copy, Debug)]
pub struct RowStart {
    values: u32,
    refs: u32,
}

impl RecordBatch {
    pub fn new(file: FileId) -> Self {
        RecordBatch {
            file,
            text: TextArena::default(),
            dns: DnInterner::default(),
            rows: Vec::new(),
            values: Vec::new(),
            refs: Vec::new(),
            domains: Vec::new(),
            trusts: Vec::new(),
        }
    }
    pub fn start_row(&self) -> RowStart {
        RowStart {
            values: self.values.len() as u32,
            refs: self.refs.len() as u32,
        }
    }
    /// Adds a value of the current row (`""` means the object has no value).
    pub fn value(&mut self, attr: Attr, v: &str) {
        let r = self.text.push(v);
        self.values.push((attr, r));
    }
    pub fn dn_ref(&mut self, kind: RefKind, dn: &str) -> Result<(), DnError> {
        let id = self.dns.intern(dn)?;
        self.refs.push(BatchRef {
            kind,
            target: RefTarget::Dn(id),
        });
        Ok(())
    }
    /// A reference by a key other than a DN; `make` picks the variant.
    pub fn key_ref(&mut self, kind: RefKind, make: fn(TextRef) -> RefTarget, key: &str) {
        let r = self.text.push(key.trim());
        if r.has_value() {
            self.refs.push(BatchRef {
                kind,
                target: make(r),
            });
        }
    }
    pub fn end_row(
        &mut self,
        start: RowStart,
        line: u64,
        what: RowWhat,
        dn: Option<&str>,
    ) -> Result<(), DnError> {
        let dn = match dn {
            Some(d) => Some(self.dns.intern(d)?),
            None => None,
        };
        self.rows.push(BatchRow {
            line,
            what,
            dn,
            values: start.values..self.values.len() as u32,
            refs: start.refs..self.refs.len() as u32,
        });
        Ok(())
    }
    /// Drops whatever the row added and records it as rejected.
    pub fn reject_row(&mut self, start: RowStart, line: u64, category: &str, reason: String) {
        self.values.truncate(start.values as usize);
        self.refs.truncate(start.refs as usize);
        self.rows.push(BatchRow {
            line,
            what: RowWhat::Rejected(category.to_string(), reason),
            dn: None,
            values: start.values..start.values,
            refs: start.refs..start.refs,
        });
    }
}

#[derive(Clone, Copy, Debug)]
enum Target {
    Dn(DnId),
    Guid(TextRef),
    Sid(TextRef),
    Account(TextRef),
    Upn(TextRef),
    Sam(TextRef),
    Name(TextRef),
}

#[derive(Clone, Copy, Debug)]
struct PendingRef {
    from: u32,
    kind: RefKind,
    target: Target,
    file: FileId,
    line: u64,
}

#[derive(Clone, Copy, Debug)]
struct PendingMembership {
    group: Option<Target>,
    member: Option<Target>,
    file: FileId,
    line: u64,
}

/// A hash index over objects whose key is one of their own attribute values, so the index holds
/// only `(hash, id)` and never a copy of the key.
#[derive(Default, Debug)]
struct AttrIndex {
    table: HashTable<(u64, u32)>,
}

/// Merges batches into a directory. See the module docs.
#[derive(Default)]
pub struct DirectoryBuilder {
    dir: Directory,
    guid_index: HashMap<u128, u32>,
    sid_index: AttrIndex,
    upn_index: AttrIndex,
    /// `(domain root DN id, sAMAccountName)`.
    account_index: AttrIndex,
    account_domain: Vec<u32>,
    obj_by_dn: Vec<u32>,
    refs: Vec<PendingRef>,
    memberships: Vec<PendingMembership>,
    ou_records: Vec<DnId>,
    domain_records: Vec<(DomainRecord, FileId)>,
    trust_records: Vec<TrustRecord>,
    trust_keys: hashbrown::HashSet<(String, String)>,
}

/// Parses a canonical GUID (`xxxxxxxx-xxxx-…`, as the ingest stores it) to a number.
fn guid_key(s: &str) -> Option<u128> {
    let mut v: u128 = 0;
    let mut n = 0;
    for c in s.bytes() {
        if c == b'-' {
            continue;
        }
        v = (v << 4) | (c as char).to_digit(16)? as u128;
        n += 1;
    }
    (n == 32).then_some(v)
}

/// The `DC=` suffix of a DN (`DC=contoso,DC=com`), if any.
fn domain_root(dn: &str) -> Option<&str> {
    let mut offset = 0;
    let mut root = None;
    for rdn in dn::rdns(dn) {
        let trimmed = rdn.trim_start();
        let is_dc = trimmed.len() > 3 && trimmed[..3].eq_ignore_ascii_case("DC=");
        match (is_dc, root) {
            (true, None) => root = Some(offset + (rdn.len() - trimmed.len())),
            (false, Some(_)) => root = None,
            _ => {}
        }
        offset += rdn.len() + 1;
    }
    root.map(|r| &dn[r..])
}

/// Whether `lossy` is `full` as an ASCII export (or an Excel code-page save) would have written
/// it: the same text with non-ASCII letters replaced by `?` or `_`.
fn is_lossy_copy(lossy: &str, full: &str) -> bool {
    if full.is_ascii() || lossy.chars().count() != full.chars().count() {
        return false;
    }
    lossy
        .chars()
        .zip(full.chars())
        .all(|(l, f)| l == f || ((l == '?' || l == '_') && !f.is_ascii()))
}

/// Attributes whose comparison ignores case (identities are case-insensitive in AD).
fn case_insensitive(attr: Attr) -> bool {
    matches!(
        attr,
        Attr::UserPrincipalName
            | Attr::SamAccountName
            | Attr::Mail
            | Attr::SipAddress
            | Attr::HostingProvider
            | Attr::RegistrarPool
            | Attr::PrimaryHomeServer
            | Attr::TargetAddress
    )
}

/// Attributes whose text depends on the exporting machine's locale: never compared.
fn locale_dependent(attr: Attr) -> bool {
    matches!(attr, Attr::WhenCreated | Attr::LastLogon)
}

enum Agreement {
    Same,
    /// The new value is the complete form of a lossy existing one.
    Replace,
    Conflict,
}

fn agree(attr: Attr, old: &str, new: &str) -> Agreement {
    if old == new || locale_dependent(attr) {
        return Agreement::Same;
    }
    if case_insensitive(attr) && ci_eq(old, new) {
        return Agreement::Same;
    }
    if attr.kind() == ValueKind::Multi {
        let mut a: Vec<&str> = old.split('\n').collect();
        let mut b: Vec<&str> = new.split('\n').collect();
        a.sort_unstable();
        b.sort_unstable();
        if a == b {
            return Agreement::Same;
        }
    }
    if is_lossy_copy(new, old) {
        return Agreement::Same;
    }
    if is_lossy_copy(old, new) {
        return Agreement::Replace;
    }
    Agreement::Conflict
}

impl DirectoryBuilder {
    pub fn new() -> Self {
        Self::default()
    }

    fn account(&mut self, file: FileId) -> &mut super::FileAccount {
        let i = file.0 as usize;
        if self.dir.files.len() <= i {
            self.dir.files.resize_with(i + 1, Default::default);
        }
        &mut self.dir.files[i]
    }

    /// Makes sure the account of `file` exists, so a file with no rows still has one.
    pub fn register_file(&mut self, file: FileId) {
        self.account(file);
    }

    /// Records a row the ingest could not even read into a batch (a malformed record).
    pub fn reject_unread_row(&mut self, file: FileId, line: u64, category: &str, reason: String) {
        self.account(file).reject(line, reason, category);
    }

    fn column_mut(&mut self, attr: Attr) -> &mut Vec<TextRef> {
        let n = self.dir.kinds.len();
        self.dir.known[attr.index()] = true;
        self.dir.columns[attr.index()].get_or_insert_with(|| vec![TextRef::UNKNOWN; n])
    }

    fn col_text(&self, obj: u32, attr: Attr) -> Option<&str> {
        let col = self.dir.columns[attr.index()].as_ref()?;
        self.dir
            .text
            .get(col[obj as usize])
            .filter(|s| !s.is_empty())
    }

    fn index_for(&self, attr: Attr) -> Option<&AttrIndex> {
        match attr {
            Attr::Sid => Some(&self.sid_index),
            Attr::UserPrincipalName => Some(&self.upn_index),
            _ => None,
        }
    }

    fn lookup_attr(&self, attr: Attr, key: &str) -> Option<u32> {
        let index = self.index_for(attr)?;
        let f = fold(key);
        let h = ci_hash(f.as_bytes());
        index
            .table
            .find(h, |&(eh, o)| {
                eh == h && self.col_text(o, attr).is_some_and(|v| ci_eq(v, &f))
            })
            .map(|&(_, o)| o)
    }

    fn account_hash(domain: u32, sam: &str) -> u64 {
        ci_hash_str(sam) ^ (domain as u64).wrapping_mul(0x9e37_79b9_7f4a_7c15)
    }

    fn lookup_account(&self, domain: u32, sam: &str) -> Option<u32> {
        let h = Self::account_hash(domain, sam);
        self.account_index
            .table
            .find(h, |&(eh, o)| {
                eh == h
                    && self.account_domain[o as usize] == domain
                    && self
                        .col_text(o, Attr::SamAccountName)
                        .is_some_and(|v| ci_eq(v, sam))
            })
            .map(|&(_, o)| o)
    }

    /// Adds the object's key values to the indexes (first holder of a value wins).
    fn index_object(&mut self, obj: u32) {
        if let Some(g) = self.col_text(obj, Attr::ObjectGuid).and_then(guid_key) {
            self.guid_index.entry(g).or_insert(obj);
        }
        for attr in [Attr::Sid, Attr::UserPrincipalName] {
            let Some(v) = self.col_text(obj, attr) else {
                continue;
            };
            if self.lookup_attr(attr, v).is_some() {
                continue;
            }
            let h = ci_hash_str(v);
            let index = match attr {
                Attr::Sid => &mut self.sid_index,
                _ => &mut self.upn_index,
            };
            index.table.insert_unique(h, (h, obj), |&(eh, _)| eh);
        }
        let domain = self.account_domain[obj as usize];
        if domain != NONE
            && let Some(sam) = self.col_text(obj, Attr::SamAccountName)
            && self.lookup_account(domain, sam).is_none()
        {
            let h = Self::account_hash(domain, sam);
            self.account_index
                .table
                .insert_unique(h, (h, obj), |&(eh, _)| eh);
        }
    }

    /// Removes the object's index entries (before one of its key values changes).
    fn unindex_object(&mut self, obj: u32) {
        self.guid_index.retain(|_, o| *o != obj);
        for index in [
            &mut self.sid_index,
            &mut self.upn_index,
            &mut self.account_index,
        ] {
            index.table.retain(|&mut (_, o)| o != obj);
        }
    }

    /// Merges one batch. Batches must come in file order, and chunks of a file in order.
    pub fn absorb(&mut self, batch: RecordBatch) {
        if self.dir.columns.is_empty() {
            self.dir.columns = vec![None; Attr::COUNT];
            self.dir.known = vec![false; Attr::COUNT];
        }
        let file = batch.file;
        self.account(file);
        let base = self.dir.text.append(&batch.text);
        let dn_map = self.dir.dns.absorb(&batch.dns);
        if self.obj_by_dn.len() < self.dir.dns.len() {
            self.obj_by_dn.resize(self.dir.dns.len(), NONE);
        }
        let map_target = |t: RefTarget| match t {
            RefTarget::Dn(d) => Target::Dn(dn_map[d.index()]),
            RefTarget::Guid(r) => Target::Guid(r.rebased(base)),
            RefTarget::Sid(r) => Target::Sid(r.rebased(base)),
            RefTarget::Account(r) => Target::Account(r.rebased(base)),
            RefTarget::Upn(r) => Target::Upn(r.rebased(base)),
            RefTarget::Sam(r) => Target::Sam(r.rebased(base)),
            RefTarget::Name(r) => Target::Name(r.rebased(base)),
        };
        // Columns this batch has values for are known even when every cell was empty.
        for &(attr, _) in &batch.values {
            if !self.dir.known[attr.index()] {
                self.column_mut(attr);
            }
        }
        let mut domain_rows_seen = vec![false; batch.domains.len()];
        let mut domain_ids = Vec::with_capacity(batch.domains.len());
        for rec in &batch.domains {
            domain_ids.push(self.add_domain_record(rec.clone(), file));
        }
        for row in &batch.rows {
            let values = &batch.values[row.values.start as usize..row.values.end as usize];
            let refs = &batch.refs[row.refs.start as usize..row.refs.end as usize];
            match &row.what {
                RowWhat::Rejected(category, reason) => {
                    self.account(file)
                        .reject(row.line, reason.clone(), category);
                }
                RowWhat::Object(kind) => {
                    let dn = row.dn.map(|d| dn_map[d.index()]);
                    self.absorb_object(*kind, dn, values, base, file, row.line, |obj| {
                        refs.iter()
                            .map(|r| PendingRef {
                                from: obj,
                                kind: r.kind,
                                target: map_target(r.target),
                                file,
                                line: row.line,
                            })
                            .collect()
                    });
                }
                RowWhat::Ou => {
                    let acc = self.account(file);
                    acc.rows += 1;
                    match row.dn.map(|d| dn_map[d.index()]) {
                        Some(d) if !self.ou_records.contains(&d) => {
                            self.ou_records.push(d);
                            self.account(file).accepted += 1;
                        }
                        Some(_) => self.account(file).merged += 1,
                        None => {
                            let acc = self.account(file);
                            acc.rows -= 1;
                            acc.reject(
                                row.line,
                                "OU row without a distinguished name".into(),
                                "no distinguished name",
                            );
                        }
                    }
                }
                RowWhat::Domain(i) => {
                    let i = *i as usize;
                    let first = !std::mem::replace(&mut domain_rows_seen[i], true);
                    let is_new = domain_ids.get(i).is_some_and(|&(_, new)| new);
                    let acc = self.account(file);
                    acc.rows += 1;
                    if first && is_new {
                        acc.accepted += 1;
                    } else {
                        acc.merged += 1;
                    }
                }
                RowWhat::Trust(i) => {
                    let rec = batch.trusts[*i as usize].clone();
                    let key = (rec.source.to_lowercase(), rec.target.to_lowercase());
                    let is_new = self.trust_keys.insert(key);
                    if is_new {
                        self.trust_records.push(rec);
                    }
                    let acc = self.account(file);
                    acc.rows += 1;
                    if is_new {
                        acc.accepted += 1;
                    } else {
                        acc.merged += 1;
                    }
                }
                RowWhat::Membership => {
                    let mut m = PendingMembership {
                        group: None,
                        member: None,
                        file,
                        line: row.line,
                    };
                    for r in refs {
                        match r.kind {
                            RefKind::Group => m.group = Some(map_target(r.target)),
                            _ => m.member = Some(map_target(r.target)),
                        }
                    }
                    self.memberships.push(m);
                }
            }
        }
    }

    /// Returns the domain's index and whether this record created it.
    fn add_domain_record(&mut self, rec: DomainRecord, file: FileId) -> (usize, bool) {
        let name = rec.name.trim().trim_end_matches('.').to_lowercase();
        if let Some(i) = self.domain_records.iter().position(|(r, _)| r.name == name) {
            let (existing, _) = &mut self.domain_records[i];
            existing.netbios = existing.netbios.take().or(rec.netbios);
            existing.sid = existing.sid.take().or(rec.sid);
            return (i, false);
        }
        self.domain_records
            .push((DomainRecord { name, ..rec }, file));
        (self.domain_records.len() - 1, true)
    }

    #[allow(clippy::too_many_arguments)]
    fn absorb_object(
        &mut self,
        kind: ObjectKind,
        dn: Option<DnId>,
        values: &[(Attr, TextRef)],
        base: usize,
        file: FileId,
        line: u64,
        make_refs: impl FnOnce(u32) -> Vec<PendingRef>,
    ) {
        let text_of = |dir: &Directory, attr: Attr| -> Option<String> {
            values
                .iter()
                .find(|(a, r)| *a == attr && r.has_value())
                .and_then(|(_, r)| dir.text.get(r.rebased(base)).map(str::to_string))
        };
        // Identity keys, in the spec's order of preference.
        let guid = text_of(&self.dir, Attr::ObjectGuid);
        let sid = text_of(&self.dir, Attr::Sid);
        let upn = text_of(&self.dir, Attr::UserPrincipalName);
        let sam = text_of(&self.dir, Attr::SamAccountName);
        let domain = dn
            .and_then(|d| domain_root(self.dir.dns.display(d)).map(str::to_string))
            .and_then(|root| self.dir.dns.intern(&root).ok())
            .map_or(NONE, |d| d.0);
        if self.obj_by_dn.len() < self.dir.dns.len() {
            self.obj_by_dn.resize(self.dir.dns.len(), NONE);
        }
        let mut candidates: Vec<(&'static str, u32)> = Vec::new();
        if let Some(o) = guid
            .as_deref()
            .and_then(guid_key)
            .and_then(|g| self.guid_index.get(&g).copied())
        {
            candidates.push(("objectGUID", o));
        }
        if let Some(d) = dn
            && self.obj_by_dn[d.index()] != NONE
        {
            candidates.push(("distinguishedName", self.obj_by_dn[d.index()]));
        }
        if let Some(o) = sid.as_deref().and_then(|s| self.lookup_attr(Attr::Sid, s)) {
            candidates.push(("SID", o));
        }
        if domain != NONE
            && let Some(o) = sam.as_deref().and_then(|s| self.lookup_account(domain, s))
        {
            candidates.push(("DOMAIN\\sAMAccountName", o));
        }
        if let Some(o) = upn
            .as_deref()
            .and_then(|u| self.lookup_attr(Attr::UserPrincipalName, u))
        {
            candidates.push(("userPrincipalName", o));
        }
        // A weaker key (SID, account, UPN) shared with an object whose objectGUID or DN differs
        // is a duplicate value on two objects, not one object seen twice: AD never gives one
        // object two GUIDs or two DNs at once. Merging them would hide the duplicate.
        let row_guid = guid.as_deref().and_then(guid_key);
        candidates.retain(|&(key, o)| {
            if key == "objectGUID" || key == "distinguishedName" {
                return true;
            }
            let other_guid = self.col_text(o, Attr::ObjectGuid).and_then(guid_key);
            let guid_differs = matches!((row_guid, other_guid), (Some(a), Some(b)) if a != b);
            let other_dn = self.dir.dn_of[o as usize];
            let dn_differs = dn.is_some_and(|d| other_dn != NONE && other_dn != d.0);
            !guid_differs && !dn_differs
        });
        let target = candidates.first().map(|&(_, o)| o);
        if let Some(t) = target {
            let existing = self.dir.kinds[t as usize];
            if existing != kind {
                let (key, _) = candidates[0];
                let src = self.dir.source[t as usize];
                self.account(file).reject(
                    line,
                    format!(
                        "its {key} already belongs to a {} (file #{} line {}): a {} cannot merge with it",
                        existing.as_str(),
                        src.file.0,
                        src.line,
                        kind.as_str()
                    ),
                    "identity already used by another kind of object",
                );
                return;
            }
            // Keys that point at different objects: merge into the preferred one, report it.
            for &(key, other) in &candidates[1..] {
                if other != t {
                    self.push_conflict(
                        t,
                        "identity",
                        format!("object #{t}"),
                        format!("{key} matches object #{other}"),
                        file,
                        line,
                    );
                }
            }
        }
        let obj = match target {
            Some(t) => {
                self.account(file).rows += 1;
                self.account(file).merged += 1;
                t
            }
            None => {
                let id = self.dir.kinds.len() as u32;
                self.dir.kinds.push(kind);
                self.dir.dn_of.push(NONE);
                self.dir.source.push(SourceRef { file, line });
                self.account_domain.push(NONE);
                for col in self.dir.columns.iter_mut().flatten() {
                    col.push(TextRef::UNKNOWN);
                }
                let acc = self.account(file);
                acc.rows += 1;
                acc.accepted += 1;
                id
            }
        };
        if let Some(d) = dn
            && self.dir.dn_of[obj as usize] == NONE
        {
            self.dir.dn_of[obj as usize] = d.0;
            self.obj_by_dn[d.index()] = obj;
        }
        if self.account_domain[obj as usize] == NONE {
            self.account_domain[obj as usize] = domain;
        }
        let mut reindex = false;
        for &(attr, r) in values {
            let r = r.rebased(base);
            let slot = self.column_mut(attr)[obj as usize];
            if slot.is_unknown() || (slot.is_empty() && r.has_value()) {
                self.column_mut(attr)[obj as usize] = r;
                continue;
            }
            if !slot.has_value() || !r.has_value() {
                continue;
            }
            let old = self.dir.text.get(slot).unwrap_or_default();
            let new = self.dir.text.get(r).unwrap_or_default();
            match agree(attr, old, new) {
                Agreement::Same => {}
                Agreement::Replace => {
                    if matches!(
                        attr,
                        Attr::Sid
                            | Attr::UserPrincipalName
                            | Attr::SamAccountName
                            | Attr::ObjectGuid
                    ) && !reindex
                    {
                        self.unindex_object(obj);
                        reindex = true;
                    }
                    self.column_mut(attr)[obj as usize] = r;
                }
                Agreement::Conflict => {
                    let (old, new) = (old.to_string(), new.to_string());
                    self.push_conflict(obj, attr.ldap_name(), old, new, file, line);
                }
            }
        }
        self.index_object(obj);
        let refs = make_refs(obj);
        self.refs.extend(refs);
    }

    fn push_conflict(
        &mut self,
        obj: u32,
        attribute: &'static str,
        kept: String,
        other: String,
        file: FileId,
        line: u64,
    ) {
        self.dir.conflict_count += 1;
        if self.dir.conflicts.len() < MAX_EXAMPLES {
            self.dir.conflicts.push(Conflict {
                object: super::ObjectId(obj),
                attribute,
                kept,
                other,
                file: file.0,
                line,
            });
        }
    }

    fn push_unresolved(&mut self, kind: &'static str, target: String, file: FileId, line: u64) {
        self.dir.unresolved_count += 1;
        if self.dir.unresolved.len() < MAX_EXAMPLES {
            self.dir.unresolved.push(Unresolved {
                kind,
                target,
                file: file.0,
                line,
            });
        }
    }

    /// Resolves every reference and returns the finished directory.
    pub fn finish(mut self) -> Directory {
        if self.dir.columns.is_empty() {
            self.dir.columns = vec![None; Attr::COUNT];
            self.dir.known = vec![false; Attr::COUNT];
        }
        let n = self.dir.kinds.len();
        self.build_domains_and_containers();
        let names = NameIndex::build(&self);

        // Object references.
        let mut edges: Vec<u64> = Vec::new();
        self.dir.manager_of = vec![NONE; n];
        let refs = std::mem::take(&mut self.refs);
        let mut has_primary_dn = vec![false; n];
        for r in &refs {
            if r.kind == RefKind::PrimaryGroup {
                has_primary_dn[r.from as usize] = true;
            }
            let Some(t) = self.resolve(&names, r.target) else {
                let label = self.target_label(r.target);
                self.push_unresolved(r.kind.as_str(), label, r.file, r.line);
                continue;
            };
            let from_kind = self.dir.kinds[r.from as usize];
            let to_kind = self.dir.kinds[t as usize];
            match r.kind {
                RefKind::MemberOf | RefKind::PrimaryGroup if to_kind == ObjectKind::Group => {
                    edges.push(((r.from as u64) << 32) | t as u64)
                }
                RefKind::Members if from_kind == ObjectKind::Group => {
                    edges.push(((t as u64) << 32) | r.from as u64)
                }
                RefKind::Manager if to_kind != ObjectKind::Group => {
                    self.dir.manager_of[r.from as usize] = t
                }
                _ => {
                    let label = format!(
                        "{} (a {}, not a {})",
                        self.target_label(r.target),
                        to_kind.as_str(),
                        if r.kind == RefKind::Manager {
                            "user or contact"
                        } else {
                            "group"
                        }
                    );
                    self.push_unresolved(r.kind.as_str(), label, r.file, r.line);
                }
            }
        }
        self.primary_group_edges(&mut edges, &has_primary_dn);

        // Membership rows: each becomes accepted (a new edge), merged (an edge already known)
        // or rejected.
        let memberships = std::mem::take(&mut self.memberships);
        if !memberships.is_empty() {
            let mut seen: hashbrown::HashSet<u64> = edges.iter().copied().collect();
            for m in &memberships {
                let resolved = match (m.group, m.member) {
                    (Some(g), Some(mb)) => (self.resolve(&names, g), self.resolve(&names, mb)),
                    _ => {
                        self.account(m.file).reject(
                            m.line,
                            "membership row without a group or a member".into(),
                            "incomplete membership row",
                        );
                        continue;
                    }
                };
                match resolved {
                    (Some(g), Some(mb)) if self.dir.kinds[g as usize] == ObjectKind::Group => {
                        let e = ((mb as u64) << 32) | g as u64;
                        let acc = self.account(m.file);
                        acc.rows += 1;
                        if seen.insert(e) {
                            acc.accepted += 1;
                            edges.push(e);
                        } else {
                            acc.merged += 1;
                        }
                    }
                    (Some(g), Some(_)) => {
                        let kind = self.dir.kinds[g as usize].as_str();
                        self.account(m.file).reject(
                            m.line,
                            format!("the group of the row is a {kind}, not a group"),
                            "group is not a group",
                        );
                    }
                    (None, _) => {
                        let label = self.target_label(m.group.unwrap_or(Target::Dn(DnId(0))));
                        self.account(m.file).reject(
                            m.line,
                            format!("group {label} is not in the inputs"),
                            "group not found",
                        );
                    }
                    (_, None) => {
                        let label = self.target_label(m.member.unwrap_or(Target::Dn(DnId(0))));
                        self.account(m.file).reject(
                            m.line,
                            format!("member {label} is not in the inputs"),
                            "member not found",
                        );
                    }
                }
            }
        }

        edges.par_sort_unstable();
        edges.dedup();
        self.dir.groups_of =
            Adjacency::from_sorted(n, edges.iter().map(|&e| ((e >> 32) as u32, e as u32)));
        self.dir.members_of = transpose(n, &edges);
        self.dir.obj_by_dn = std::mem::take(&mut self.obj_by_dn);
        self.dir.obj_by_dn.resize(self.dir.dns.len(), NONE);
        self.dir
    }

    fn target_label(&self, t: Target) -> String {
        match t {
            Target::Dn(d) => self.dir.dns.display(d).to_string(),
            Target::Guid(r)
            | Target::Sid(r)
            | Target::Account(r)
            | Target::Upn(r)
            | Target::Sam(r)
            | Target::Name(r) => format!("'{}'", self.dir.text.get(r).unwrap_or_default()),
        }
    }

    fn resolve(&self, names: &NameIndex, t: Target) -> Option<u32> {
        let text = |r: TextRef| self.dir.text.get(r).filter(|s| !s.is_empty());
        match t {
            Target::Dn(d) => self
                .obj_by_dn
                .get(d.index())
                .copied()
                .filter(|&o| o != NONE),
            Target::Guid(r) => {
                let g = guid_key(text(r)?)?;
                self.guid_index.get(&g).copied()
            }
            Target::Sid(r) => self.lookup_attr(Attr::Sid, text(r)?),
            Target::Upn(r) => self.lookup_attr(Attr::UserPrincipalName, text(r)?),
            Target::Account(r) => {
                let (netbios, sam) = text(r)?.split_once('\\')?;
                let domain = self.netbios_root(netbios)?;
                self.lookup_account(domain, sam)
            }
            Target::Sam(r) => names.unique_sam(self, text(r)?),
            Target::Name(r) => {
                let s = text(r)?;
                names
                    .unique_name(self, s)
                    .or_else(|| names.unique_sam(self, s))
            }
        }
    }

    /// The domain root DN id for a NetBIOS name: from a domain record, else the first label of a
    /// domain's DNS name (the default NetBIOS name).
    fn netbios_root(&self, netbios: &str) -> Option<u32> {
        let name = self
            .dir
            .domains
            .iter()
            .find(|d| {
                d.netbios
                    .as_deref()
                    .is_some_and(|n| n.eq_ignore_ascii_case(netbios))
            })
            .or_else(|| {
                self.dir.domains.iter().find(|d| {
                    d.name
                        .split('.')
                        .next()
                        .is_some_and(|l| l.eq_ignore_ascii_case(netbios))
                })
            })?
            .name
            .clone();
        self.dir.dns.get(&dn::domain_dn(&name)).map(|d| d.0)
    }

    /// One `member_of` edge per object whose primaryGroupID resolves: through the group SID
    /// (the member's domain SID plus the RID), else the well-known group name in its domain.
    fn primary_group_edges(&mut self, edges: &mut Vec<u64>, has_primary_dn: &[bool]) {
        let Some(pg) = self.dir.columns[Attr::PrimaryGroupId.index()].as_ref() else {
            return;
        };
        let pg = pg.clone();
        let sids_by_domain: Vec<Option<String>> =
            self.dir.domains.iter().map(|d| d.sid.clone()).collect();
        for (obj, r) in pg.iter().enumerate() {
            let Some(rid) = self.dir.text.get(*r).and_then(|s| s.parse::<u32>().ok()) else {
                continue;
            };
            let obj = obj as u32;
            let domain_sid = self
                .col_text(obj, Attr::Sid)
                .and_then(|s| s.rsplit_once('-').map(|(d, _)| d.to_string()))
                .or_else(|| {
                    let d = self.dir.domain_of[obj as usize];
                    (d != NONE)
                        .then(|| sids_by_domain[d as usize].clone())
                        .flatten()
                });
            let by_sid = domain_sid
                .and_then(|d| self.lookup_attr(Attr::Sid, &format!("{d}-{rid}")))
                .filter(|&g| self.dir.kinds[g as usize] == ObjectKind::Group);
            let group = by_sid.or_else(|| self.well_known_group(obj, rid));
            match group {
                Some(g) => edges.push(((obj as u64) << 32) | g as u64),
                // Already reported (or resolved) through the object's PrimaryGroup DN.
                None if has_primary_dn[obj as usize] => {}
                None => {
                    let src = self.dir.source[obj as usize];
                    self.push_unresolved(
                        "primaryGroupID",
                        format!("{rid} (no group with that RID in the inputs)"),
                        src.file,
                        src.line,
                    );
                }
            }
        }
    }

    fn well_known_group(&self, obj: u32, rid: u32) -> Option<u32> {
        let name = match rid {
            512 => "Domain Admins",
            513 => "Domain Users",
            514 => "Domain Guests",
            515 => "Domain Computers",
            516 => "Domain Controllers",
            518 => "Schema Admins",
            519 => "Enterprise Admins",
            _ => return None,
        };
        let root = self.account_domain.get(obj as usize).copied()?;
        if root == NONE {
            return None;
        }
        let dn = format!("CN={name},CN=Users,{}", self.dir.dns.display(DnId(root)));
        let d = self.dir.dns.get(&dn)?;
        self.obj_by_dn
            .get(d.index())
            .copied()
            .filter(|&o| o != NONE)
    }

    /// Domains (from DNs, records and trusts), containers and OUs.
    fn build_domains_and_containers(&mut self) {
        let n = self.dir.kinds.len();
        let mut domain_by_root: HashMap<u32, u32> = HashMap::new();
        let mut domains: Vec<Domain> = Vec::new();
        let mut by_name: HashMap<String, u32> = HashMap::new();
        let mut add = |domains: &mut Vec<Domain>, name: &str, origin: DomainOrigin| -> u32 {
            if let Some(&i) = by_name.get(name) {
                return i;
            }
            let i = domains.len() as u32;
            domains.push(Domain {
                name: name.to_string(),
                netbios: None,
                sid: None,
                origin,
                objects: 0,
            });
            by_name.insert(name.to_string(), i);
            i
        };
        self.dir.domain_of = vec![NONE; n];
        for obj in 0..n {
            let root = self.account_domain[obj];
            if root == NONE {
                continue;
            }
            let d = match domain_by_root.get(&root) {
                Some(&d) => d,
                None => {
                    let name = dn::domain_of(self.dir.dns.display(DnId(root))).unwrap_or_default();
                    let d = add(&mut domains, &name, DomainOrigin::ObjectDn);
                    domain_by_root.insert(root, d);
                    d
                }
            };
            self.dir.domain_of[obj] = d;
            domains[d as usize].objects += 1;
        }
        for (rec, _) in &self.domain_records {
            if rec.name.is_empty() {
                continue;
            }
            let d = add(&mut domains, &rec.name, DomainOrigin::Record) as usize;
            domains[d].netbios = domains[d].netbios.take().or(rec.netbios.clone());
            domains[d].sid = domains[d].sid.take().or(rec.sid.clone());
            if domains[d].origin == DomainOrigin::Trust {
                domains[d].origin = DomainOrigin::Record;
            }
        }
        // A domain's SID, when no record gave it: the SIDs of its objects minus their RID.
        for obj in 0..n {
            let d = self.dir.domain_of[obj];
            if d == NONE || domains[d as usize].sid.is_some() {
                continue;
            }
            if let Some((dsid, _)) = self
                .col_text(obj as u32, Attr::Sid)
                .and_then(|s| s.rsplit_once('-'))
                .filter(|(d, _)| d.starts_with("S-1-5-21-"))
            {
                domains[d as usize].sid = Some(dsid.to_string());
            }
        }
        let trusts = std::mem::take(&mut self.trust_records);
        for t in &trusts {
            let s = add(
                &mut domains,
                &t.source.trim().to_lowercase(),
                DomainOrigin::Trust,
            );
            let g = add(
                &mut domains,
                &t.target.trim().to_lowercase(),
                DomainOrigin::Trust,
            );
            self.dir.trusts.push(Trust {
                source: DomainId(s),
                target: DomainId(g),
                direction: t.direction.clone(),
                trust_type: t.trust_type.clone(),
                attributes: t.attributes.clone(),
            });
        }
        self.dir.domains = domains;

        // Containers: the parent of every object, and their parents up to the domain root.
        self.dir.container_of = vec![NONE; n];
        let mut parent_of: Vec<u32> = Vec::new();
        let mut queue: Vec<u32> = Vec::new();
        for obj in 0..n {
            let d = self.dir.dn_of[obj];
            if d == NONE {
                continue;
            }
            let display = self.dir.dns.display(DnId(d)).to_string();
            if let Some(p) = dn::parent(&display).and_then(|p| self.dir.dns.intern(p).ok()) {
                self.dir.container_of[obj] = p.0;
                queue.push(p.0);
            }
        }
        for &ou in &self.ou_records {
            queue.push(ou.0);
        }
        let mut visited: hashbrown::HashSet<u32> = hashbrown::HashSet::new();
        while let Some(c) = queue.pop() {
            if !visited.insert(c) {
                continue;
            }
            if parent_of.len() <= c as usize {
                parent_of.resize(c as usize + 1, NONE);
            }
            let display = self.dir.dns.display(DnId(c)).to_string();
            if let Some(p) = dn::parent(&display).and_then(|p| self.dir.dns.intern(p).ok()) {
                if parent_of.len() <= c as usize {
                    parent_of.resize(c as usize + 1, NONE);
                }
                parent_of[c as usize] = p.0;
                queue.push(p.0);
            }
        }
        parent_of.resize(self.dir.dns.len(), NONE);
        self.dir.container_parent = parent_of;

        let mut ou_ids: Vec<u32> = visited
            .into_iter()
            .filter(|&c| {
                dn::first_rdn_type(self.dir.dns.display(DnId(c)))
                    .is_some_and(|t| t.eq_ignore_ascii_case("OU"))
            })
            .collect();
        ou_ids.sort_unstable();
        let mut ou_pos: HashMap<u32, usize> = HashMap::new();
        for (i, &c) in ou_ids.iter().enumerate() {
            ou_pos.insert(c, i);
        }
        let mut ous: Vec<Ou> = ou_ids
            .iter()
            .map(|&c| {
                let display = self.dir.dns.display(DnId(c));
                let domain = dn::domain_of(display).and_then(|name| {
                    self.dir
                        .domains
                        .iter()
                        .position(|d| d.name == name)
                        .map(|i| DomainId(i as u32))
                });
                Ou {
                    dn: DnId(c),
                    domain,
                    objects: 0,
                    from_record: self.ou_records.contains(&DnId(c)),
                }
            })
            .collect();
        for &c in &self.dir.container_of {
            if let Some(&i) = ou_pos.get(&c) {
                ous[i].objects += 1;
            }
        }
        self.dir.ous = ous;
        if self.obj_by_dn.len() < self.dir.dns.len() {
            self.obj_by_dn.resize(self.dir.dns.len(), NONE);
        }
    }
}

/// Group → members, from member→group edges sorted by member.
fn transpose(n: usize, edges: &[u64]) -> Adjacency {
    let mut counts = vec![0u32; n + 1];
    for &e in edges {
        counts[(e as u32) as usize + 1] += 1;
    }
    for i in 1..=n {
        counts[i] += counts[i - 1];
    }
    let offsets = counts.clone();
    let mut next = counts;
    let mut targets = vec![super::ObjectId(0); edges.len()];
    for &e in edges {
        let g = (e as u32) as usize;
        targets[next[g] as usize] = super::ObjectId((e >> 32) as u32);
        next[g] += 1;
    }
    Adjacency { offsets, targets }
}

/// Objects by common name and by sAMAccountName, for references that give only a name. A name
/// held by several objects resolves to none (and is reported unresolved rather than guessed).
struct NameIndex {
    by_name: super::fold::CiMap<(u32, bool)>,
    by_sam: super::fold::CiMap<(u32, bool)>,
}

impl NameIndex {
    fn build(b: &DirectoryBuilder) -> NameIndex {
        let mut by_name = super::fold::CiMap::default();
        let mut by_sam = super::fold::CiMap::default();
        let needed = b
            .refs
            .iter()
            .any(|r| matches!(r.target, Target::Name(_) | Target::Sam(_)))
            || b.memberships.iter().any(|m| {
                matches!(m.group, Some(Target::Name(_) | Target::Sam(_)))
                    || matches!(m.member, Some(Target::Name(_) | Target::Sam(_)))
            });
        if needed {
            for obj in 0..b.dir.kinds.len() as u32 {
                let cn = b.col_text(obj, Attr::Cn).map(str::to_string).or_else(|| {
                    let d = b.dir.dn_of[obj as usize];
                    (d != NONE)
                        .then(|| {
                            dn::first_rdn_value(b.dir.dns.display(DnId(d))).map(|c| c.into_owned())
                        })
                        .flatten()
                });
                if let Some(cn) = cn {
                    let e = by_name.entry_or_insert_with(&cn, || (obj, true));
                    if e.0 != obj {
                        e.1 = false;
                    }
                }
                if let Some(sam) = b.col_text(obj, Attr::SamAccountName) {
                    let e = by_sam.entry_or_insert_with(sam, || (obj, true));
                    if e.0 != obj {
                        e.1 = false;
                    }
                }
            }
        }
        NameIndex { by_name, by_sam }
    }
    fn unique_name(&self, _b: &DirectoryBuilder, s: &str) -> Option<u32> {
        self.by_name.get(s).filter(|e| e.1).map(|e| e.0)
    }
    fn unique_sam(&self, _b: &DirectoryBuilder, s: &str) -> Option<u32> {
        self.by_sam.get(s).filter(|e| e.1).map(|e| e.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::directory::ObjectId;

    fn user(b: &mut RecordBatch, line: u64, dn: &str, vals: &[(Attr, &str)], member_of: &[&str]) {
        let s = b.start_row();
        for (a, v) in vals {
            b.value(*a, v);
        }
        for g in member_of {
            b.dn_ref(RefKind::MemberOf, g).unwrap();
        }
        b.end_row(s, line, RowWhat::Object(ObjectKind::User), Some(dn))
            .unwrap();
    }

    #[test]
    fn merges_on_guid_and_dedups_edges() {
        let mut b = RecordBatch::new(FileId(0));
        user(
            &mut b,
            2,
            "CN=Ann,OU=Staff,DC=contoso,DC=com",
            &[
                (Attr::ObjectGuid, "0b1c2d3e-0000-0000-0000-000000000001"),
                (Attr::Sid, "S-1-5-21-1-2-3-1104"),
                (Attr::PrimaryGroupId, "513"),
            ],
            &["CN=Sales,OU=Groups,DC=contoso,DC=com"],
        );
        let s = b.start_row();
        b.value(Attr::Sid, "S-1-5-21-1-2-3-513");
        b.end_row(
            s,
            3,
            RowWhat::Object(ObjectKind::Group),
            Some("CN=Domain Users,CN=Users,DC=contoso,DC=com"),
        )
        .unwrap();
        let s = b.start_row();
        b.dn_ref(RefKind::Members, "cn=ann,ou=staff,dc=contoso,dc=com")
            .unwrap();
        b.end_row(
            s,
            4,
            RowWhat::Object(ObjectKind::Group),
            Some("CN=Sales,OU=Groups,DC=contoso,DC=com"),
        )
        .unwrap();
        let mut b2 = RecordBatch::new(FileId(1));
        let s = b2.start_row();
        b2.value(Attr::ObjectGuid, "0b1c2d3e-0000-0000-0000-000000000001");
        b2.value(Attr::SfbEnabled, "True");
        b2.value(Attr::SipAddress, "sip:ann@contoso.com");
        b2.end_row(s, 2, RowWhat::Object(ObjectKind::User), None)
            .unwrap();
        let mut builder = DirectoryBuilder::new();
        builder.absorb(b);
        builder.absorb(b2);
        let d = builder.finish();
        let c = d.counts();
        assert_eq!(
            (c.users, c.groups, c.memberships, c.sfb_users),
            (1, 2, 2, 1)
        );
        assert_eq!(c.domains, 1);
        assert_eq!(c.ous, 2);
        let ann = ObjectId(0);
        assert_eq!(d.value(ann, Attr::SipAddress), Some("sip:ann@contoso.com"));
        assert_eq!(d.groups_of(ann).len(), 2);
        let files = d.file_accounts();
        assert_eq!((files[0].accepted, files[0].merged), (3, 0));
        assert_eq!((files[1].accepted, files[1].merged), (0, 1));
        assert!(files.iter().all(FileAccount::balances));
    }

    #[test]
    fn conflicts_are_reported_and_lossy_copies_are_not() {
        let mut b = RecordBatch::new(FileId(0));
        user(
            &mut b,
            2,
            "CN=Jos?,DC=x,DC=com",
            &[(Attr::DisplayName, "Jos?"), (Attr::Title, "Engineer")],
            &[],
        );
        user(
            &mut b,
            3,
            "CN=Jos?,DC=x,DC=com",
            &[(Attr::DisplayName, "José"), (Attr::Title, "Manager")],
            &[],
        );
        let mut builder = DirectoryBuilder::new();
        builder.absorb(b);
        let d = builder.finish();
        assert_eq!(d.value(ObjectId(0), Attr::DisplayName), Some("José"));
        let (conflicts, n) = d.conflicts();
        assert_eq!(n, 1);
        assert_eq!(conflicts[0].attribute, "title");
    }

    #[test]
    fn a_shared_upn_on_objects_with_different_guids_is_two_objects() {
        let mut b = RecordBatch::new(FileId(0));
        for (line, dn, guid) in [
            (
                2,
                "CN=Ann,DC=x,DC=com",
                "00000000-0000-0000-0000-000000000001",
            ),
            (
                3,
                "CN=Ann Two,DC=x,DC=com",
                "00000000-0000-0000-0000-000000000002",
            ),
        ] {
            user(
                &mut b,
                line,
                dn,
                &[
                    (Attr::ObjectGuid, guid),
                    (Attr::UserPrincipalName, "ann@x.com"),
                ],
                &[],
            );
        }
        let mut builder = DirectoryBuilder::new();
        builder.absorb(b);
        let d = builder.finish();
        assert_eq!(d.counts().users, 2, "a duplicate UPN must stay visible");
    }

    #[test]
    fn membership_rows_are_accounted() {
        let mut b = RecordBatch::new(FileId(0));
        user(
            &mut b,
            2,
            "CN=Ann,DC=x,DC=com",
            &[(Attr::SamAccountName, "ann")],
            &["CN=G,DC=x,DC=com"],
        );
        let s = b.start_row();
        b.value(Attr::Cn, "G");
        b.end_row(
            s,
            3,
            RowWhat::Object(ObjectKind::Group),
            Some("CN=G,DC=x,DC=com"),
        )
        .unwrap();
        let mut m = RecordBatch::new(FileId(1));
        for (line, member) in [(2, "ann"), (3, "bob")] {
            let s = m.start_row();
            m.key_ref(RefKind::Group, RefTarget::Name, "G");
            m.key_ref(RefKind::Member, RefTarget::Sam, member);
            m.end_row(s, line, RowWhat::Membership, None).unwrap();
        }
        let mut builder = DirectoryBuilder::new();
        builder.absorb(b);
        builder.absorb(m);
        let d = builder.finish();
        let f = &d.file_accounts()[1];
        assert_eq!((f.rows, f.accepted, f.merged, f.rejected), (2, 0, 1, 1));
        assert!(f.rejections[0].reason.contains("bob"));
    }
}
