//! Name tables and the text folds applied to them.
//!
//! Every accented letter here exists in Windows-1252, so the cp1252 dialects (excel-fr, csvde,
//! adrecon) can carry them, while Windows PowerShell 5.1's ASCII export turns each into `?`.
//! No table entry contains a space, so "Given Surname" splits back unambiguously.

pub(crate) const GIVEN: &[&str] = &[
    "James",
    "Mary",
    "John",
    "Patricia",
    "Robert",
    "Jennifer",
    "Michael",
    "Linda",
    "William",
    "Elizabeth",
    "David",
    "Barbara",
    "Richard",
    "Susan",
    "Joseph",
    "Jessica",
    "Thomas",
    "Sarah",
    "Charles",
    "Karen",
    "Christopher",
    "Nancy",
    "Daniel",
    "Lisa",
    "Matthew",
    "Betty",
    "Anthony",
    "Margaret",
    "Mark",
    "Sandra",
    "Donald",
    "Ashley",
    "Steven",
    "Kimberly",
    "Paul",
    "Emily",
    "Andrew",
    "Donna",
    "Joshua",
    "Michelle",
    "Kenneth",
    "Carol",
    "Kevin",
    "Amanda",
    "Brian",
    "Melissa",
    "George",
    "Deborah",
    "Timothy",
    "Stephanie",
    "Ronald",
    "Rebecca",
    "Jason",
    "Sharon",
    "Edward",
    "Laura",
    "Jeffrey",
    "Cynthia",
    "Ryan",
    "Kathleen",
    "Jacob",
    "Amy",
    "Gary",
    "Angela",
    "Nicholas",
    "Shirley",
    "Eric",
    "Anna",
    "Jonathan",
    "Brenda",
    "Stephen",
    "Pamela",
    "Larry",
    "Emma",
    "Justin",
    "Nicole",
    "Scott",
    "Helen",
    "Brandon",
    "Samantha",
    "Benjamin",
    "Katherine",
    "Samuel",
    "Christine",
    "Priya",
    "Arjun",
    "Mei",
    "Hiroshi",
    "Yuki",
    "Min-jun",
    "Olusegun",
    "Amara",
    "Kwame",
    "Fatima",
    "Omar",
    "Layla",
    "Ivan",
    "Olga",
    "Piotr",
    "Katarzyna",
    "José",
    "François",
    "Zoë",
    "Øyvind",
    "Chloé",
    "Renée",
    "Jürgen",
    "Björn",
    "Åsa",
    "Inês",
    "Ángel",
    "Hélène",
    "Sören",
    "Noël",
    "Léa",
    "Loïc",
    "Mónica",
    "Iñaki",
    "Raphaël",
    "Joël",
    "Thérèse",
    "Günter",
    "Jörg",
    "Mårten",
    "Håkon",
    "Siân",
    "Dorothée",
    "Agnès",
    "Cécile",
    "Benoît",
    "Jérôme",
    "André",
    "Frédéric",
    "Stéphane",
    "Ólafur",
    "Þóra",
    "Ramón",
    "Martín",
    "Sofía",
    "Lucía",
    "Adrián",
    "Begoña",
    "Hervé",
    "Aurélie",
    "Zoltán",
    "Ildikó",
    "Tomás",
    "Seán",
    "Róisín",
];

pub(crate) const SURNAMES: &[&str] = &[
    "Smith",
    "Johnson",
    "Williams",
    "Brown",
    "Jones",
    "Miller",
    "Davis",
    "Wilson",
    "Anderson",
    "Taylor",
    "Thomas",
    "Moore",
    "Jackson",
    "Martin",
    "Lee",
    "Thompson",
    "White",
    "Harris",
    "Clark",
    "Lewis",
    "Robinson",
    "Walker",
    "Young",
    "Allen",
    "King",
    "Wright",
    "Scott",
    "Hill",
    "Green",
    "Adams",
    "Baker",
    "Nelson",
    "Carter",
    "Mitchell",
    "Roberts",
    "Turner",
    "Phillips",
    "Campbell",
    "Parker",
    "Evans",
    "Edwards",
    "Collins",
    "Stewart",
    "Morris",
    "Murphy",
    "Cook",
    "Rogers",
    "Morgan",
    "Cooper",
    "Peterson",
    "Reed",
    "Bailey",
    "Bell",
    "Kelly",
    "Howard",
    "Ward",
    "Cox",
    "Richardson",
    "Wood",
    "Watson",
    "Brooks",
    "Bennett",
    "Gray",
    "Hughes",
    "Price",
    "Sanders",
    "Myers",
    "Long",
    "Ross",
    "Foster",
    "Nakamura",
    "Tanaka",
    "Kim",
    "Park",
    "Chen",
    "Wang",
    "Li",
    "Zhang",
    "Liu",
    "Singh",
    "Patel",
    "Kumar",
    "Shah",
    "Nguyen",
    "Tran",
    "Kowalski",
    "Nowak",
    "Novak",
    "Horvat",
    "Rossi",
    "Russo",
    "Ferrari",
    "Esposito",
    "Bianchi",
    "Romano",
    "Mercier",
    "Girard",
    "Bonnet",
    "Gauthier",
    "Lambert",
    "Fontaine",
    "Chevalier",
    "Rousseau",
    "Pelletier",
    "Tremblay",
    "Hoffmann",
    "Vogel",
    "Smith-Jones",
    "Dupont-Aignan",
    "García",
    "Müller",
    "Martínez",
    "Rodríguez",
    "González",
    "Hernández",
    "López",
    "Pérez",
    "Sánchez",
    "Gómez",
    "Fernández",
    "Jiménez",
    "Sørensen",
    "Løvland",
    "Ødegård",
    "Åberg",
    "Björk",
    "Lindström",
    "Söderberg",
    "Nyström",
    "Lefèvre",
    "Dupré",
    "Béranger",
    "Côté",
    "Gagné",
    "Bélanger",
    "Lévesque",
    "Schröder",
    "Schäfer",
    "Köhler",
    "Weiß",
    "Krüger",
    "Jäger",
    "Böhm",
    "Kühn",
    "Günther",
    "Núñez",
    "Muñoz",
    "Ibáñez",
    "Peña",
    "Gonçalves",
    "Conceição",
    "Simões",
    "Magalhães",
    "Araújo",
    "Brandão",
    "Østergaard",
    "Jørgensen",
    "Þórsson",
];

/// Names given to the deliberate non-defect users; kept out of the random draws so that their
/// count stays exactly what the manifest records.
pub(crate) const SPECIAL_OBRIEN: (&str, &str) = ("Conor", "O'Brien");
pub(crate) const SPECIAL_COMMA: (&str, &str) = ("John", "Smith");

pub(crate) const DEPARTMENTS: &[&str] = &[
    "Sales",
    "Engineering",
    "Finance",
    "Support",
    "Marketing",
    "Human Resources",
    "IT",
    "Operations",
];
/// Relative head-count of each department.
pub(crate) const DEPT_WEIGHTS: &[u32] = &[20, 25, 10, 15, 10, 5, 8, 7];
pub(crate) const DEPT_IT: u8 = 6;

pub(crate) const TITLES: &[[&str; 4]] = &[
    [
        "Account Executive",
        "Sales Manager",
        "Sales Representative",
        "Inside Sales Specialist",
    ],
    [
        "Software Engineer",
        "Senior Software Engineer",
        "Engineering Manager",
        "QA Engineer",
    ],
    [
        "Accountant",
        "Financial Analyst",
        "Controller",
        "Payroll Specialist",
    ],
    [
        "Support Engineer",
        "Support Specialist",
        "Support Team Lead",
        "Escalation Engineer",
    ],
    [
        "Marketing Manager",
        "Content Strategist",
        "Product Marketing Manager",
        "Marketing Coordinator",
    ],
    [
        "HR Generalist",
        "Recruiter",
        "HR Business Partner",
        "HR Manager",
    ],
    [
        "Systems Administrator",
        "Network Engineer",
        "IT Manager",
        "Service Desk Analyst",
    ],
    [
        "Operations Manager",
        "Logistics Coordinator",
        "Facilities Manager",
        "Operations Analyst",
    ],
];

/// Cities; each domain draws from its own slice (see `model::DOMAINS`).
pub(crate) const CITIES: &[&str] = &[
    "Seattle",
    "Redmond",
    "New York",
    "Montréal",
    "São Paulo",
    "London",
    "Paris",
    "München",
    "Zürich",
    "Oslo",
    "Köln",
    "Malmö",
    "Dublin",
];

pub(crate) const PROJECT_WORDS: &[&str] = &[
    "Atlas", "Borealis", "Cobalt", "Delta", "Ember", "Falcon", "Granite", "Harbor", "Iris",
    "Juniper", "Kestrel", "Lumen", "Meridian", "Nimbus", "Onyx", "Polaris", "Quartz", "Raven",
    "Sierra", "Tundra", "Umbra", "Vector", "Willow", "Xenon", "Yarrow", "Zephyr",
];

/// External companies: contacts' employers and contractors' company.
pub(crate) const PARTNERS: &[(&str, &str)] = &[
    ("Northwind Traders", "northwindtraders.com"),
    ("Adventure Works", "adventure-works.com"),
    ("Tailspin Toys", "tailspintoys.com"),
    ("Wingtip Toys", "wingtiptoys.com"),
    ("Litware Inc.", "litwareinc.com"),
    ("Proseware", "proseware.com"),
    ("Woodgrove Bank", "woodgrovebank.com"),
    ("Fourth Coffee", "fourthcoffee.com"),
];

/// ASCII transliteration of one non-ASCII letter, as an admin would type it in a logon name.
fn fold_char(c: char) -> &'static str {
    match c {
        'á' | 'à' | 'â' | 'ä' | 'ã' | 'å' | 'Á' | 'À' | 'Â' | 'Ä' | 'Ã' | 'Å' => "a",
        'æ' | 'Æ' => "ae",
        'ç' | 'Ç' => "c",
        'é' | 'è' | 'ê' | 'ë' | 'É' | 'È' | 'Ê' | 'Ë' => "e",
        'í' | 'ì' | 'î' | 'ï' | 'Í' | 'Ì' | 'Î' | 'Ï' => "i",
        'ñ' | 'Ñ' => "n",
        'ó' | 'ò' | 'ô' | 'ö' | 'õ' | 'ø' | 'Ó' | 'Ò' | 'Ô' | 'Ö' | 'Õ' | 'Ø' => "o",
        'ß' => "ss",
        'ú' | 'ù' | 'û' | 'ü' | 'Ú' | 'Ù' | 'Û' | 'Ü' => "u",
        'ý' | 'ÿ' | 'Ý' => "y",
        'þ' | 'Þ' => "th",
        'ð' | 'Ð' => "d",
        _ => "",
    }
}

/// Lower-case ASCII transliteration, keeping only letters, digits and the characters in `keep`.
pub(crate) fn fold_ascii(s: &str, keep: &[char], out: &mut String) {
    for c in s.chars() {
        if c.is_ascii() {
            if c.is_ascii_alphanumeric() || keep.contains(&c) {
                out.push(c.to_ascii_lowercase());
            }
        } else {
            out.push_str(fold_char(c));
        }
    }
}

/// What Windows PowerShell 5.1's ASCII encoder does to a string: every UTF-16 code unit
/// outside ASCII becomes `?`.
pub(crate) fn qfold(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        if c.is_ascii() {
            out.push(c);
        } else {
            for _ in 0..c.len_utf16() {
                out.push('?');
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashSet;

    fn injective_under_qfold(t: &[&str]) {
        let mut seen = HashSet::new();
        for s in t {
            assert!(seen.insert(qfold(s)), "{s} collides once folded to ASCII");
            assert!(!s.contains(' '), "{s} contains a space");
        }
    }

    #[test]
    fn tables_survive_ascii_export() {
        injective_under_qfold(GIVEN);
        injective_under_qfold(SURNAMES);
        let mut seen = HashSet::new();
        for c in CITIES {
            assert!(seen.insert(qfold(c)));
        }
    }

    #[test]
    fn tables_fit_cp1252() {
        for s in GIVEN.iter().chain(SURNAMES).chain(CITIES) {
            for c in s.chars() {
                assert!((c as u32) < 0x100, "{c} in {s} is outside Latin-1");
            }
        }
    }

    #[test]
    fn folds() {
        let mut s = String::new();
        fold_ascii("Øyvind Weiß-Þórsson", &['-'], &mut s);
        assert_eq!(s, "oyvindweiss-thorsson");
        assert_eq!(qfold("José"), "Jos?");
    }
}
