//! One table row → one entry of a [`RecordBatch`], following a [`Plan`]. The hot path of the
//! ingest: no allocation per cell beyond what the batch stores.

use super::columns::Column;
use super::dialect::{ClassVerdict, Dialect, KindHint, Plan, class_verdict};
use super::limits::{Limit, Limits, expected_dn};
use super::values::{
    BadValue, check_timestamp, for_each_value, is_lost_collection, normalize_guid,
    normalize_guid_into, normalize_sid, normalize_sid_into, parse_bool, parse_int, values_of,
};
use hybridready_directory::build::RowStart;
use hybridready_directory::{
    Attr, DomainRecord, ObjectKind, RecordBatch, RefKind, RefTarget, RowWhat, TrustRecord,
    ValueKind, dn, dn::DnKey,
};
use serde::Serialize;
use std::collections::BTreeMap;

/// A cell that could not be used, with where it was.
#[derive(Clone, Debug, Serialize, PartialEq, Eq)]
pub struct ValueIssue {
    pub line: u64,
    pub column: String,
    pub value: String,
    pub expected: String,
}

/// What reading a table's rows found, besides the rows.
#[derive(Clone, Debug, Default, Serialize)]
pub struct RowStats {
    /// Cells whose value was malformed (the value is treated as unknown).
    pub value_errors: u64,
    pub value_error_examples: Vec<ValueIssue>,
    /// Per column, cells holding a type name instead of values (`ADPropertyValueCollection`).
    pub data_lost: BTreeMap<String, u64>,
    /// Values whose `?`s stand for letters an ASCII export lost (see [`Plan::lost_letters`]).
    pub lost_letters: u64,
    /// Object classes seen, counted.
    pub classes: BTreeMap<String, u64>,
}

const MAX_ISSUES: usize = 200;

impl RowStats {
    pub(crate) fn issue(&mut self, line: u64, column: &str, value: &str, expected: &str) {
        self.value_errors += 1;
        if self.value_error_examples.len() < MAX_ISSUES {
            let mut v: String = value.chars().take(80).collect();
            if value.chars().count() > 80 {
                v.push('…');
            }
            self.value_error_examples.push(ValueIssue {
                line,
                column: column.to_string(),
                value: v,
                expected: expected.to_string(),
            });
        }
    }
    pub fn merge(&mut self, other: RowStats) {
        self.value_errors += other.value_errors;
        self.lost_letters += other.lost_letters;
        for e in other.value_error_examples {
            if self.value_error_examples.len() < MAX_ISSUES {
                self.value_error_examples.push(e);
            }
        }
        for (k, v) in other.data_lost {
            *self.data_lost.entry(k).or_default() += v;
        }
        for (k, v) in other.classes {
            *self.classes.entry(k).or_default() += v;
        }
    }
}

/// Reads rows of one table into a batch.
pub struct RowReader<'p> {
    plan: &'p Plan,
    pub stats: RowStats,
    scratch: String,
    /// The `field-size` limit, and those of a DN (see [`crate::limits`]), copied out of the
    /// run's limits for the comparisons of every cell.
    max_field_bytes: usize,
    dn_limits: dn::DnLimits,
}

/// A text value of an export that wrote `?` for every letter it could not encode (Windows
/// PowerShell 5.1's ASCII `Export-Csv`), with each `?` as U+FFFD: a letter lost at export. The
/// rules then judge it as the non-ASCII letter it was ("K?ln" was "Köln": a `?` is invalid in a
/// sAMAccountName, an `ö` is not), and the worklists show that it was lost. Each value so
/// marked is counted for the input report.
fn lost_letters_marked<'v>(v: &'v str, stats: &mut RowStats) -> std::borrow::Cow<'v, str> {
    if memchr::memchr(b'?', v.as_bytes()).is_none() {
        return std::borrow::Cow::Borrowed(v);
    }
    stats.lost_letters += 1;
    std::borrow::Cow::Owned(v.replace('?', "\u{FFFD}"))
}

/// The stored form of a value of `kind`, written into `buf` (reused across cells, so normalising
/// allocates nothing per cell); `None` when the value is stored as written.
fn normalize<'b>(
    kind: ValueKind,
    v: &str,
    buf: &'b mut String,
) -> Result<Option<&'b str>, BadValue> {
    use std::fmt::Write;
    buf.clear();
    match kind {
        ValueKind::Text | ValueKind::DnText => return Ok(None),
        ValueKind::Time => {
            check_timestamp(v)?;
            return Ok(None);
        }
        ValueKind::Bool => buf.push_str(if parse_bool(v)? { "True" } else { "False" }),
        ValueKind::Int => {
            let i = parse_int(v)?;
            // Most integers are already written in canonical decimal: keep their text.
            let digits = v.strip_prefix('-').unwrap_or(v);
            let canonical = !digits.is_empty()
                && digits.bytes().all(|c| c.is_ascii_digit())
                && (digits == "0" || !digits.starts_with('0'))
                && v != "-0";
            if canonical {
                buf.push_str(v);
            } else {
                let _ = write!(buf, "{i}");
            }
        }
        ValueKind::Guid => normalize_guid_into(v, buf)?,
        ValueKind::Sid => normalize_sid_into(v, buf)?,
        ValueKind::Multi => for_each_value(v, false, |x| {
            if !buf.is_empty() {
                buf.push('\n');
            }
            buf.push_str(x);
        }),
    }
    Ok(Some(buf.as_str()))
}

impl<'p> RowReader<'p> {
    pub fn new(plan: &'p Plan, limits: &Limits) -> Self {
        RowReader {
            plan,
            stats: RowStats::default(),
            scratch: String::new(),
            max_field_bytes: limits.bytes(Limit::FieldSize),
            dn_limits: limits.dn(),
        }
    }

    /// The limits of a DN, for the batches this reader fills.
    pub fn dn_limits(&self) -> dn::DnLimits {
        self.dn_limits
    }

    /// The first non-empty cell among `cols` (or `""`), with the index of the column it came from.
    fn first<'f>(cols: &[usize], get: &impl Fn(usize) -> &'f str) -> (&'f str, usize) {
        for &c in cols {
            let v = get(c);
            if !v.is_empty() {
                return (v, c);
            }
        }
        ("", cols.first().copied().unwrap_or(0))
    }

    /// Two columns give one attribute (a header written twice, or two spellings of it) and the
    /// first non-empty one is read: another that holds a different value on the row is a value
    /// error, so the value left unread is said, with its line.
    fn twin_columns_agree<'f>(
        &mut self,
        line: u64,
        target: Column,
        cols: &[usize],
        read: usize,
        v: &str,
        get: &impl Fn(usize) -> &'f str,
    ) {
        for &c in cols.iter().filter(|&&c| c != read) {
            let other = get(c);
            if !other.is_empty() && !other.trim().eq_ignore_ascii_case(v.trim()) {
                let expected = format!(
                    "the value of column \"{}\" on the same row (both give {}), which is read: \"{}\"",
                    self.header(read),
                    target.name(),
                    v.chars().take(80).collect::<String>()
                );
                let h = self.header(c).to_string();
                self.stats.issue(line, &h, other, &expected);
            }
        }
    }

    fn header(&self, i: usize) -> &str {
        self.plan.headers.get(i).map_or("?", String::as_str)
    }

    /// Whether a row has a value in a cell that can tell its object: a DN, GUID, SID, account
    /// name, name, display name or SIP address, or a UPN or mail address with an `@`. A UPN
    /// without one is no identity on its own: Excel's total row (`;;;…;Summe`) put its label
    /// in the last column, often the UPN, and was taken for a user. Beside another identity,
    /// such a UPN is kept (the rules report it).
    fn identifies<'f>(plan: &Plan, get: &impl Fn(usize) -> &'f str) -> bool {
        use hybridready_directory::Attr::*;
        let needs_at = |c: Column| matches!(c, Column::Attr(Mail | UserPrincipalName));
        let has = |c: Column| {
            plan.column_of(c).is_some_and(|cols| {
                cols.iter().any(|&i| {
                    let v = get(i).trim();
                    !v.is_empty() && (!needs_at(c) || v.contains('@'))
                })
            })
        };
        [
            Column::Dn,
            Column::Attr(ObjectGuid),
            Column::Attr(Sid),
            Column::Attr(SamAccountName),
            Column::Attr(UserPrincipalName),
            Column::Attr(Cn),
            Column::Attr(DisplayName),
            Column::Attr(SipAddress),
            Column::Attr(Mail),
        ]
        .into_iter()
        .any(has)
    }

    /// Reads one row. `get(i)` gives cell `i` ("" past the end); `n` is the row's cell count.
    pub fn read<'f>(
        &mut self,
        batch: &mut RecordBatch,
        line: u64,
        n: usize,
        get: impl Fn(usize) -> &'f str,
    ) {
        let plan = self.plan;
        if plan.nul_bytes && (0..n).any(|i| get(i).contains('\0')) {
            // A NUL inside a value (pasted from a C program, a byte lost in a transfer) is
            // reported where it is and dropped; the rest of the value is read.
            let cells: Vec<String> = (0..n)
                .map(|i| {
                    let v = get(i);
                    if !v.contains('\0') {
                        return v.to_string();
                    }
                    let h = plan.headers.get(i).map_or("?", String::as_str);
                    self.stats
                        .issue(line, h, v, "text without NUL bytes (they were removed)");
                    v.replace('\0', "")
                })
                .collect();
            return self.read_clean(batch, line, n, |i| cells.get(i).map_or("", String::as_str));
        }
        self.read_clean(batch, line, n, get)
    }

    fn read_clean<'f>(
        &mut self,
        batch: &mut RecordBatch,
        line: u64,
        n: usize,
        get: impl Fn(usize) -> &'f str,
    ) {
        let plan = self.plan;
        let expected = plan.headers.len();
        if n != expected && !(plan.dialect == Dialect::AdreconDomain && n >= 2) {
            let start = batch.start_row();
            let reason = if n == 1 && get(0).starts_with("#TYPE") {
                "a second #TYPE line: two exports were appended into one file (Export-Csv -Append)"
                    .to_string()
            } else if let Some(hint) = (n == 1 && expected > 1)
                .then(|| other_separator(get(0)))
                .flatten()
            {
                format!("expected {expected} fields (as in the header), found 1: {hint}")
            } else {
                format!("expected {expected} fields (as in the header), found {n}")
            };
            batch.reject_row(start, line, "wrong number of fields", reason);
            return;
        }
        if (0..n).all(|i| get(i) == plan.headers[i]) {
            let start = batch.start_row();
            batch.reject_row(
                start,
                line,
                "repeated header line",
                "the header line again: two exports were appended into one file".into(),
            );
            return;
        }
        match plan.dialect {
            Dialect::AdreconDomain => self.read_domain_fact(batch, line, get(0), get(1)),
            Dialect::AdreconTrusts => self.read_trust(batch, line, get),
            Dialect::AdreconGroupMembers => self.read_adrecon_membership(batch, line, get),
            Dialect::MembershipList => self.read_membership(batch, line, get),
            _ => self.read_object(batch, line, get),
        }
    }

    fn read_object<'f>(
        &mut self,
        batch: &mut RecordBatch,
        line: u64,
        get: impl Fn(usize) -> &'f str,
    ) {
        let plan = self.plan;
        let start = batch.start_row();
        // The class decides what the row is.
        let mut verdict = plan.kind_hint.map(ClassVerdict::Kind);
        if let Some(cols) = plan.column_of(Column::ObjectClass) {
            let (class, _) = Self::first(cols, &get);
            if !class.is_empty() {
                let last = class.rsplit([';', '|']).next().unwrap_or(class).trim();
                *self.stats.classes.entry(last.to_string()).or_default() += 1;
                verdict = class_verdict(class).or(verdict);
            }
        }
        let kind = match verdict {
            Some(ClassVerdict::Kind(KindHint::Object(k))) => RowKind::Object(k),
            Some(ClassVerdict::Kind(KindHint::Ou)) => RowKind::Ou,
            Some(ClassVerdict::Domain) => RowKind::Domain,
            Some(ClassVerdict::Kind(KindHint::Computer)) => {
                batch.reject_row(
                    start,
                    line,
                    "computer account (not modelled)",
                    "a computer: computers are not users and are not modelled".into(),
                );
                return;
            }
            Some(ClassVerdict::Skip(category, reason)) => {
                batch.reject_row(start, line, category, reason);
                return;
            }
            None => RowKind::Object(ObjectKind::User),
        };
        // A row whose identity cells are all empty names no object: trailing Excel debris
        // (`;;;`, `;;;01.02.2003`) was taken for users with no identity at all.
        if matches!(kind, RowKind::Object(_)) && !Self::identifies(plan, &get) {
            batch.reject_row(
                start,
                line,
                "no identity",
                "none of its identity cells (distinguished name, GUID, SID, account name, name, \
                 or a UPN or mail address with an @) has a value"
                    .into(),
            );
            return;
        }
        let mut row_dn: Option<hybridready_directory::DnId> = None;
        // The row's own DN and its manager's are looked up once the row's other cells are read
        // (see RecordBatch::look_up_soon); the manager's reference keeps its place.
        let mut own_key: Option<DnKey<'f>> = None;
        let mut manager: Option<(usize, DnKey<'f>)> = None;
        let kind_is_domain = matches!(kind, RowKind::Domain);
        let mut enabled_given = false;
        let mut uac: Option<i64> = None;
        let mut sid: Option<String> = None;
        let max_field_bytes = self.max_field_bytes;
        for (target, cols) in &plan.targets {
            let (v, col) = Self::first(cols, &get);
            if cols.len() > 1 && !v.is_empty() && matches!(target, Column::Attr(_)) {
                self.twin_columns_agree(line, *target, cols, col, v, &get);
            }
            if v.len() > max_field_bytes && matches!(target, Column::Attr(_)) {
                // Stored whole it would be cut at 16 MB unsaid; no attribute value is this long
                // (reference lists, such as a big group's members, are not values).
                let h = self.header(col).to_string();
                let expected = format!(
                    "a value of at most {max_field_bytes} bytes, found {}: not read (the \
                     field-size limit: {})",
                    v.len(),
                    Limit::FieldSize.hint(v.len() as u64)
                );
                self.stats.issue(line, &h, v, &expected);
                continue;
            }
            if is_lost_collection(v) {
                *self
                    .stats
                    .data_lost
                    .entry(self.header(col).to_string())
                    .or_default() += 1;
                continue;
            }
            match *target {
                Column::Attr(attr) => {
                    let kind = attr.kind();
                    if v.is_empty() {
                        batch.value(attr, "");
                        continue;
                    }
                    match normalize(kind, v, &mut self.scratch) {
                        Ok(Some(n)) if plan.lost_letters && kind == ValueKind::Multi => {
                            let n = lost_letters_marked(n, &mut self.stats);
                            batch.value(attr, &n)
                        }
                        Ok(Some(n)) => {
                            if attr == Attr::UserAccountControl {
                                uac = n.parse().ok();
                            } else if attr == Attr::Sid && kind_is_domain {
                                sid = Some(n.to_string());
                            }
                            batch.value(attr, n)
                        }
                        Ok(None) if plan.lost_letters && kind == ValueKind::Text => {
                            let v = lost_letters_marked(v, &mut self.stats);
                            batch.value(attr, &v)
                        }
                        Ok(None) => batch.value(attr, v),
                        Err(e) => {
                            let h = self.header(col).to_string();
                            self.stats.issue(line, &h, v, e.expected);
                        }
                    }
                }
                Column::Enabled => {
                    if v.is_empty() {
                        continue;
                    }
                    match parse_bool(v) {
                        Ok(b) => {
                            enabled_given = true;
                            batch.value(Attr::Enabled, if b { "True" } else { "False" })
                        }
                        Err(e) => {
                            let h = self.header(col).to_string();
                            self.stats.issue(line, &h, v, e.expected);
                        }
                    }
                }
                Column::Dn => {
                    if v.is_empty() {
                        continue;
                    }
                    match batch.look_up_soon(v) {
                        Ok(key) => own_key = Some(key),
                        Err(e) => {
                            let h = self.header(col).to_string();
                            self.stats.issue(line, &h, v, &expected_dn(&e));
                        }
                    }
                }
                Column::MemberOf | Column::Members => {
                    let kind = if *target == Column::MemberOf {
                        RefKind::MemberOf
                    } else {
                        RefKind::Members
                    };
                    let stats = &mut self.stats;
                    let header = plan.headers.get(col).map_or("?", String::as_str);
                    batch.dn_refs(kind, values_of(v, true), |d, e| {
                        stats.issue(line, header, d, &expected_dn(&e))
                    });
                }
                Column::Manager | Column::PrimaryGroupDn => {
                    if v.is_empty() {
                        continue;
                    }
                    let looked_up = if *target == Column::Manager {
                        batch
                            .look_up_soon(v)
                            .map(|key| manager = Some((batch.dn_ref_later(RefKind::Manager), key)))
                    } else {
                        batch.dn_ref(RefKind::PrimaryGroup, v)
                    };
                    if let Err(e) = looked_up {
                        let h = self.header(col).to_string();
                        self.stats.issue(line, &h, v, &expected_dn(&e));
                    }
                }
                _ => {}
            }
        }
        if let Some(key) = own_key {
            row_dn = Some(batch.intern_looked_up(&key));
        }
        if let Some((at, key)) = manager {
            let id = batch.intern_looked_up(&key);
            batch.set_dn_ref(at, id);
        }
        // csvde has no `Enabled`: the account state is bit 0x2 of userAccountControl.
        if !enabled_given && let Some(u) = uac {
            batch.value(Attr::Enabled, if u & 2 == 0 { "True" } else { "False" });
        }
        let what = match kind {
            RowKind::Object(k) => RowWhat::Object(k),
            RowKind::Ou => {
                if row_dn.is_none() {
                    batch.reject_row(
                        start,
                        line,
                        "no distinguished name",
                        "an OU row without a distinguished name".into(),
                    );
                    return;
                }
                RowWhat::Ou
            }
            RowKind::Domain => {
                let Some(name) = row_dn.and_then(|d| dn::domain_of(batch.display(d))) else {
                    batch.reject_row(
                        start,
                        line,
                        "no distinguished name",
                        "a domain row without a DC= distinguished name".into(),
                    );
                    return;
                };
                batch.domains.push(DomainRecord {
                    name,
                    netbios: None,
                    sid,
                });
                RowWhat::Domain(batch.domains.len() as u32 - 1)
            }
        };
        batch.end_row(start, line, what, row_dn);
    }

    fn dn_or_name(batch: &mut RecordBatch, kind: RefKind, v: &str) {
        if dn::canonical_key(v).is_ok() && v.contains('=') && batch.dn_ref(kind, v).is_ok() {
            return;
        }
        if v.contains('\\') && !v.contains('=') {
            batch.key_ref(kind, RefTarget::Account, v);
        } else if v.contains('@') {
            batch.key_ref(kind, RefTarget::Upn, v);
        } else {
            batch.key_ref(kind, RefTarget::Name, v);
        }
    }

    fn read_membership<'f>(
        &mut self,
        batch: &mut RecordBatch,
        line: u64,
        get: impl Fn(usize) -> &'f str,
    ) {
        let plan = self.plan;
        let start = batch.start_row();
        let val = |c: Column| {
            plan.column_of(c)
                .map(|cols| Self::first(cols, &get).0)
                .unwrap_or("")
        };
        let class = val(Column::ObjectClass);
        if !class.is_empty() {
            *self.stats.classes.entry(class.to_string()).or_default() += 1;
            if let Some(ClassVerdict::Skip(category, reason)) = class_verdict(class) {
                batch.reject_row(start, line, category, format!("member is {reason}"));
                return;
            }
        }
        let group = val(Column::RowGroup);
        if group.is_empty() {
            batch.reject_row(
                start,
                line,
                "incomplete membership row",
                "the group cell is empty".into(),
            );
            return;
        }
        Self::dn_or_name(batch, RefKind::Group, group);
        let member = val(Column::RowMember);
        let (dn_v, guid, sid, sam, upn, name) = (
            val(Column::Dn),
            val(Column::Attr(Attr::ObjectGuid)),
            val(Column::Attr(Attr::Sid)),
            val(Column::Attr(Attr::SamAccountName)),
            val(Column::Attr(Attr::UserPrincipalName)),
            val(Column::Attr(Attr::Cn)),
        );
        // The member, by the most specific identity the row gives.
        let referenced = if !member.is_empty() {
            Self::dn_or_name(batch, RefKind::Member, member);
            true
        } else if !dn_v.is_empty() && batch.dn_ref(RefKind::Member, dn_v).is_ok() {
            true
        } else if let Ok(g) = normalize_guid(guid) {
            batch.key_ref(RefKind::Member, RefTarget::Guid, &g);
            true
        } else if let Ok(s) = normalize_sid(sid) {
            batch.key_ref(RefKind::Member, RefTarget::Sid, &s);
            true
        } else {
            [
                (upn, RefTarget::Upn as fn(_) -> _),
                (sam, RefTarget::Sam),
                (name, RefTarget::Name),
            ]
            .into_iter()
            .find(|(v, _)| !v.is_empty())
            .map(|(v, make)| batch.key_ref(RefKind::Member, make, v))
            .is_some()
        };
        Self::finish_membership(batch, start, line, referenced, "the member cells are empty");
    }

    /// Ends a membership row, or rejects it when its member (or group) could not be named.
    fn finish_membership(batch: &mut RecordBatch, start: RowStart, line: u64, ok: bool, why: &str) {
        if ok {
            batch.end_row(start, line, RowWhat::Membership, None);
        } else {
            batch.reject_row(start, line, "incomplete membership row", why.to_string());
        }
    }

    fn read_adrecon_membership<'f>(
        &mut self,
        batch: &mut RecordBatch,
        line: u64,
        get: impl Fn(usize) -> &'f str,
    ) {
        let plan = self.plan;
        let start = batch.start_row();
        let val = |c: Column| {
            plan.column_of(c)
                .map(|cols| Self::first(cols, &get).0)
                .unwrap_or("")
        };
        let class = val(Column::RowMemberClass).trim().to_ascii_lowercase();
        *self.stats.classes.entry(class.clone()).or_default() += 1;
        let group = val(Column::RowGroup);
        if group.is_empty() {
            batch.reject_row(
                start,
                line,
                "incomplete membership row",
                "the Group Name cell is empty".into(),
            );
            return;
        }
        match class.as_str() {
            "user" | "group" | "contact" | "inetorgperson" | "" => {}
            other => {
                batch.reject_row(
                    start,
                    line,
                    "member not modelled",
                    format!("member is a {other}: only users, groups and contacts are modelled"),
                );
                return;
            }
        }
        batch.key_ref(RefKind::Group, RefTarget::Name, group);
        let sid = val(Column::RowMemberSid);
        let sam = val(Column::RowMemberSam);
        let name = val(Column::RowMemberName);
        let referenced = if let Ok(s) = normalize_sid(sid) {
            batch.key_ref(RefKind::Member, RefTarget::Sid, &s);
            true
        } else if !sam.is_empty() && sam != "-" && class != "group" {
            batch.key_ref(RefKind::Member, RefTarget::Sam, sam);
            true
        } else if !name.is_empty() {
            batch.key_ref(RefKind::Member, RefTarget::Name, name);
            true
        } else {
            false
        };
        Self::finish_membership(batch, start, line, referenced, "the member cells are empty");
    }

    fn read_domain_fact(
        &mut self,
        batch: &mut RecordBatch,
        line: u64,
        category: &str,
        value: &str,
    ) {
        if batch.domains.is_empty() {
            batch.domains.push(DomainRecord::default());
        }
        let rec = &mut batch.domains[0];
        let v = value.trim();
        match category.trim().to_ascii_lowercase().as_str() {
            "name" => rec.name = v.to_string(),
            "netbios" => rec.netbios = Some(v.to_string()),
            "domainsid" => match normalize_sid(v) {
                Ok(s) => rec.sid = Some(s),
                Err(e) => self.stats.issue(line, "Value", v, e.expected),
            },
            _ => {}
        }
        let start = batch.start_row();
        batch.end_row(start, line, RowWhat::Domain(0), None);
    }

    fn read_trust<'f>(
        &mut self,
        batch: &mut RecordBatch,
        line: u64,
        get: impl Fn(usize) -> &'f str,
    ) {
        let plan = self.plan;
        let find = |name: &str| {
            plan.headers
                .iter()
                .position(|h| super::columns::normalize_header(h) == name)
                .map(|i| get(i).trim())
                .filter(|v| !v.is_empty())
        };
        let start = batch.start_row();
        let (Some(source), Some(target)) = (find("sourcedomain"), find("targetdomain")) else {
            batch.reject_row(
                start,
                line,
                "incomplete trust row",
                "source or target domain is empty".into(),
            );
            return;
        };
        batch.trusts.push(TrustRecord {
            source: source.to_string(),
            target: target.to_string(),
            direction: find("trustdirection").map(str::to_string),
            trust_type: find("trusttype").map(str::to_string),
            attributes: find("attributes").map(str::to_string),
        });
        let i = batch.trusts.len() as u32 - 1;
        batch.end_row(start, line, RowWhat::Trust(i), None);
    }
}

enum RowKind {
    Object(ObjectKind),
    Ou,
    Domain,
}

/// Why a row read as one field may be: it holds another separator than its header's (a row
/// pasted from another export, or a file whose header line was saved with another locale).
fn other_separator(cell: &str) -> Option<String> {
    let (count, sep) = [(',', "','"), (';', "';'"), ('\t', "tab"), ('|', "'|'")]
        .into_iter()
        .map(|(c, name)| (cell.matches(c).count(), name))
        .max_by_key(|&(count, _)| count)?;
    (count > 0).then(|| format!("the row seems separated by {sep}, not by the header's separator"))
}
