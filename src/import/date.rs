//! Dates as web pages print them (`August 12, 2025`, `12 Aug 2025`,
//! `Published: July 19, 2025`), recognised on a line of their own and turned into
//! the ISO form the front matter uses (`2025-08-12`).

const MONTHS: [&str; 12] = [
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
];

/// Words a site may print before the date itself.
const PREFIXES: [&str; 4] = ["published", "updated", "posted", "on"];

/// The ISO date of a line that holds a date and nothing else; `None` for any
/// other line (including impossible dates such as `February 30, 2025`).
pub fn iso_date(line: &str) -> Option<String> {
    let words: Vec<&str> = line
        .split(|c: char| c.is_whitespace() || c == ',')
        .filter(|w| !w.is_empty())
        .collect();
    let start = words
        .iter()
        .take_while(|w| {
            let w = w.trim_end_matches(':').to_ascii_lowercase();
            PREFIXES.contains(&w.as_str())
        })
        .count();
    let (year, month, day) = match &words[start..] {
        [iso] => parse_iso(iso)?,
        [month, day, year] if month_number(month).is_some() => {
            (parse_year(year)?, month_number(month)?, parse_day(day)?)
        }
        [day, month, year] => (parse_year(year)?, month_number(month)?, parse_day(day)?),
        _ => return None,
    };
    (day <= days_in_month(year, month)).then(|| format!("{year:04}-{month:02}-{day:02}"))
}

fn parse_iso(text: &str) -> Option<(u32, u32, u32)> {
    let mut parts = text.split('-');
    let (year, month, day) = (parts.next()?, parts.next()?, parts.next()?);
    if parts.next().is_some() || month.len() != 2 || day.len() != 2 {
        return None;
    }
    let month = all_digits(month)?;
    Some((
        parse_year(year)?,
        (1..=12).contains(&month).then_some(month)?,
        parse_day(day)?,
    ))
}

/// `August`, `Aug`, `Aug.` or `Sept` (any case) as 1–12.
fn month_number(word: &str) -> Option<u32> {
    let word = word.trim_end_matches('.').to_ascii_lowercase();
    if word.len() < 3 {
        return None;
    }
    let word = if word == "sept" { "sep" } else { word.as_str() };
    let index = MONTHS
        .iter()
        .position(|name| *name == word || (word.len() == 3 && name.starts_with(word)))?;
    u32::try_from(index + 1).ok()
}

/// `12`, `07` or `12th` as a day of the month (checked against the month later).
fn parse_day(word: &str) -> Option<u32> {
    let digits = ["st", "nd", "rd", "th"]
        .iter()
        .find_map(|suffix| word.strip_suffix(suffix))
        .unwrap_or(word);
    if digits.is_empty() || digits.len() > 2 {
        return None;
    }
    all_digits(digits).filter(|day| *day >= 1)
}

fn parse_year(word: &str) -> Option<u32> {
    if word.len() != 4 {
        return None;
    }
    all_digits(word).filter(|year| *year >= 1000)
}

fn all_digits(text: &str) -> Option<u32> {
    if text.bytes().all(|b| b.is_ascii_digit()) {
        text.parse().ok()
    } else {
        None
    }
}

fn days_in_month(year: u32, month: u32) -> u32 {
    match month {
        2 if year.is_multiple_of(4) && (!year.is_multiple_of(100) || year.is_multiple_of(400)) => {
            29
        }
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_as_pages_print_them() {
        assert_eq!(iso_date("August 12, 2025").as_deref(), Some("2025-08-12"));
        assert_eq!(iso_date("July 19, 2025").as_deref(), Some("2025-07-19"));
        assert_eq!(iso_date("August 07, 2025").as_deref(), Some("2025-08-07"));
        assert_eq!(iso_date("  aug. 7 2025 ").as_deref(), Some("2025-08-07"));
        assert_eq!(iso_date("Sept 1st, 2024").as_deref(), Some("2024-09-01"));
        assert_eq!(iso_date("12 August 2025").as_deref(), Some("2025-08-12"));
        assert_eq!(iso_date("2025-08-12").as_deref(), Some("2025-08-12"));
        assert_eq!(
            iso_date("Published: March 3, 2024").as_deref(),
            Some("2024-03-03")
        );
        assert_eq!(
            iso_date("Updated on May 31, 2024").as_deref(),
            Some("2024-05-31")
        );
    }

    #[test]
    fn impossible_dates_are_not_dates() {
        assert_eq!(iso_date("February 29, 2025"), None);
        assert_eq!(iso_date("February 29, 2024").as_deref(), Some("2024-02-29"));
        assert_eq!(iso_date("April 31, 2025"), None);
        assert_eq!(iso_date("August 0, 2025"), None);
        assert_eq!(iso_date("2025-13-01"), None);
        assert_eq!(iso_date("2025-1-01"), None);
    }

    #[test]
    fn other_lines_are_not_dates() {
        for line in [
            "",
            "Email",
            "Facebook X Pinterest",
            "March 2025 in review",
            "May the best team win, 2025",
            "Collaborative platforms expanding across borders and disciplines.",
            "August 12, 2025 was a good day",
            "Ma 12, 2025",
            "Published",
        ] {
            assert_eq!(iso_date(line), None, "{line}");
        }
    }
}
