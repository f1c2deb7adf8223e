//! Calendar dates (UTC) without a time-zone library: the assessment's date and the scenario's
//! `waves.start`.

/// A calendar date (UTC).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Date {
    pub year: i32,
    pub month: u32,
    pub day: u32,
}

impl Date {
    /// The UTC date of a Unix time (Howard Hinnant's days-to-civil algorithm).
    pub fn from_unix(secs: i64) -> Date {
        let z = secs.div_euclid(86_400) + 719_468;
        let era = z.div_euclid(146_097);
        let doe = z - era * 146_097;
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
        let y = yoe + era * 400;
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
        let mp = (5 * doy + 2) / 153;
        let day = (doy - (153 * mp + 2) / 5 + 1) as u32;
        let month = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
        let year = (if month <= 2 { y + 1 } else { y }) as i32;
        Date { year, month, day }
    }

    /// A `YYYY-MM-DD` date, if it is one.
    pub fn parse_iso(s: &str) -> Option<Date> {
        let mut it = s.trim().splitn(3, '-');
        let year: i32 = it.next()?.parse().ok()?;
        let month: u32 = it.next()?.parse().ok()?;
        let day: u32 = it.next()?.parse().ok()?;
        let d = Date { year, month, day };
        // Round-trips only when the day exists in that month.
        (Date::from_unix(d.unix()) == d).then_some(d)
    }

    /// Midnight UTC of this date as a Unix time (Howard Hinnant's days-from-civil algorithm).
    pub fn unix(&self) -> i64 {
        let y = i64::from(self.year) - i64::from(self.month <= 2);
        let era = y.div_euclid(400);
        let yoe = y - era * 400;
        let m = i64::from(self.month);
        let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + i64::from(self.day) - 1;
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
        (era * 146_097 + doe - 719_468) * 86_400
    }

    /// The date `days` later.
    pub fn plus_days(&self, days: i64) -> Date {
        Date::from_unix(self.unix() + days * 86_400)
    }

    /// `2026-11-26`.
    pub fn iso(&self) -> String {
        format!("{:04}-{:02}-{:02}", self.year, self.month, self.day)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_round_trip_and_add() {
        let d = Date::parse_iso("2027-01-04").unwrap();
        assert_eq!(d.unix(), 1_799_020_800);
        assert_eq!(d.plus_days(7 * 8).iso(), "2027-03-01");
        assert_eq!(
            Date::parse_iso("2028-02-29").unwrap().plus_days(1).iso(),
            "2028-03-01"
        );
        assert_eq!(Date::parse_iso("2027-02-29"), None);
        assert_eq!(Date::parse_iso("1969-12-31").unwrap().unix(), -86_400);
    }
}
