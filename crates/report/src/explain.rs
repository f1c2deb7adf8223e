//! `hybridready explain-wave DIR USER`: why a user is in its wave and which of its dependents
//! move in other waves, worded from an assessment in English or French.

use crate::i18n::{Arg, Catalog, Date, Lang};
use crate::words;
use hybridready_assessment::{Assessment, ObjRef, ObjectInfo, Wave, WaveUser, strip_sip};

/// The user a query names: its SIP address (with or without `sip:`), UPN, sAMAccountName, DN
/// or name, compared without case. `None` when no object of the assessment has it.
pub fn find_user<'a>(a: &'a Assessment, query: &str) -> Option<&'a ObjectInfo> {
    let q = strip_sip(query.trim()).to_lowercase();
    let same = |v: &str| !v.is_empty() && v.to_lowercase() == q;
    a.objects.iter().find(|o| {
        same(strip_sip(&o.sip)) || same(&o.upn) || same(&o.sam) || same(&o.dn) || same(&o.name)
    })
}

/// The Monday of the week a wave moves in, when the scenario gives a start and a pace.
pub fn wave_date(a: &Assessment, wave: &Wave) -> Option<Date> {
    let start = Date::parse_iso(a.waves.start.as_deref()?)?;
    Some(start.plus_days(7 * (i64::from(wave.week?) - 1)))
}

/// The explanation of `user`'s wave.
pub fn wave(a: &Assessment, user: &ObjectInfo, lang: Lang) -> String {
    let t = lang.catalog();
    let me = ObjRef(user.id);
    let name = a.objects.label(me);
    let found = a
        .waves
        .waves
        .iter()
        .find_map(|w| w.users.iter().find(|u| u.user == me).map(|u| (w, u)));
    let mut out = String::new();
    let Some((w, u)) = found else {
        out += &not_planned(t, a, me, &name);
        out.push('\n');
        return out;
    };
    let last = a.waves.waves.last().map_or(0, |w| w.number);
    out += &if w.number == 0 {
        t.msg("explain_wave.pilot", &[("user", Arg::T(name.clone()))])
    } else {
        t.msg(
            "explain_wave.wave",
            &[
                ("user", Arg::T(name.clone())),
                ("wave", Arg::N(u64::from(w.number))),
                ("last", Arg::N(u64::from(last))),
                ("users", Arg::N(w.users.len() as u64)),
            ],
        )
    };
    out.push('\n');
    if let Some(week) = w.week {
        out += &match wave_date(a, w) {
            Some(d) => t.msg(
                "explain_wave.week_of",
                &[
                    ("week", Arg::N(u64::from(week))),
                    ("date", Arg::T(t.date(d))),
                ],
            ),
            None => t.msg("explain_wave.week", &[("week", Arg::N(u64::from(week)))]),
        };
        out.push('\n');
    }
    out += &t.msg(
        "explain_wave.why",
        &[("reason", Arg::T(words::wave_reason(t, a, &u.reason)))],
    );
    out.push('\n');
    out += &elsewhere(t, a, u);
    out
}

/// Its dependents in other waves, strongest first.
fn elsewhere(t: &Catalog, a: &Assessment, u: &WaveUser) -> String {
    let mut out = String::new();
    if u.elsewhere == 0 {
        out += &t.msg(
            "explain_wave.none_elsewhere",
            &[("dependents", Arg::N(u64::from(u.dependents)))],
        );
        out.push('\n');
        return out;
    }
    out += &t.msg(
        "explain_wave.elsewhere",
        &[
            ("elsewhere", Arg::N(u64::from(u.elsewhere))),
            ("dependents", Arg::N(u64::from(u.dependents))),
        ],
    );
    out.push('\n');
    for e in &u.elsewhere_first {
        out += "  ";
        out += &t.msg(
            "explain_wave.row",
            &[
                ("user", Arg::T(a.objects.label(e.user))),
                ("wave", Arg::N(u64::from(e.wave))),
                ("kinds", Arg::T(words::dependencies(t, e.kinds))),
            ],
        );
        out.push('\n');
    }
    let more = u64::from(u.elsewhere).saturating_sub(u.elsewhere_first.len() as u64);
    if more > 0 {
        out += "  ";
        out += &t.msg("explain_wave.more", &[("count", Arg::N(more))]);
        out.push('\n');
    }
    out
}

/// Why a user found in the assessment is in no wave.
fn not_planned(t: &Catalog, a: &Assessment, me: ObjRef, name: &str) -> String {
    let user = ("user", Arg::T(name.to_string()));
    match a.unsynced.iter().find(|u| u.user == me) {
        Some(_) => t.msg("explain_wave.unsynced", &[user]),
        None => t.msg("explain_wave.not_planned", &[user]),
    }
}
