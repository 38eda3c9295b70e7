#![allow(clippy::unwrap_used)]

use super::*;
use crate::cli::sample;

fn args(query: &str) -> SearchArgs {
    SearchArgs {
        query: query.to_string(),
        regex: false,
        ignore_accents: false,
        articles: Vec::new(),
        json: false,
        no_cache: false,
        color: ColorChoice::Never,
    }
}

fn search(args: &SearchArgs) -> Result<String, CliError> {
    let dir = tempfile::tempdir().unwrap();
    let paths = DataPaths::under(dir.path().to_path_buf());
    let (mut out, mut warnings) = (Vec::new(), Vec::new());
    run(args, &sample::library(), &paths, &mut out, &mut warnings)?;
    Ok(String::from_utf8(out).unwrap())
}

#[test]
fn one_line_per_passage_with_section_and_passage_numbers() {
    let out = search(&args("travel")).unwrap();
    assert_eq!(
        out,
        "cultural-diplomacy  §1 Exchanges  ¶2: Students «travel».\n"
    );
    let out = search(&args("words")).unwrap();
    assert_eq!(out, "cultural-diplomacy  §-  ¶1: Opening «words».\n");
}

#[test]
fn code_passages_stay_on_one_line() {
    let out = search(&args("line")).unwrap();
    assert_eq!(
        out,
        "cultural-diplomacy  §2 Residencies  ¶4: «line» one «line» two\n"
    );
}

#[test]
fn colour_marks_matches_with_bold_reverse_video() {
    let mut colored = args("travel");
    colored.color = ColorChoice::Always;
    let out = search(&colored).unwrap();
    assert!(
        out.contains("Students \u{1b}[1;7mtravel\u{1b}[0m."),
        "{out:?}"
    );
}

#[test]
fn json_gives_byte_and_character_offsets() {
    let mut json = args("成果 measures");
    json.json = true;
    let out = search(&json);
    // Headings are not passages: "成果 and measures" is a section title.
    assert!(matches!(out, Err(CliError::NoMatch(_))), "{out:?}");
    json.query = "gets".into();
    let value: serde_json::Value = serde_json::from_str(&search(&json).unwrap()).unwrap();
    let found = &value[0];
    assert_eq!(found["article"], "cultural-diplomacy");
    assert_eq!(found["section"]["number"], 3);
    assert_eq!(found["section"]["title"], "成果 and measures");
    assert_eq!(found["passage"], 5);
    assert_eq!(found["block"], 7);
    assert_eq!(found["text"], "What gets measured gets done.");
    assert_eq!(found["matches"][0]["start"], 5);
    assert_eq!(found["matches"][1]["end"], 23);
    assert_eq!(found["matches"][1]["char_end"], 23);
}

#[test]
fn no_match_and_bad_queries_have_their_exit_codes() {
    let err = search(&args("zebra")).unwrap_err();
    assert_eq!(err.exit_code(), 1);
    let mut regex = args("(");
    regex.regex = true;
    let err = search(&regex).unwrap_err();
    assert_eq!(err.exit_code(), 2);
    assert!(err.to_string().contains("regex"), "{err}");
    let mut unknown = args("travel");
    unknown.articles = vec!["nowhere".into()];
    assert_eq!(search(&unknown).unwrap_err().exit_code(), 2);
}

#[test]
fn named_articles_limit_the_search() {
    let mut only = args("researchers");
    only.articles = vec!["innovation".into()];
    assert!(
        search(&only)
            .unwrap()
            .starts_with("innovation-diplomacy  §-  ¶1: ")
    );
    only.articles = vec!["cultural-diplomacy".into()];
    assert_eq!(search(&only).unwrap_err().exit_code(), 1);
}
