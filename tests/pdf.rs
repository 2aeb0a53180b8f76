//! The PDF report (`bartizan report MODEL --pdf FILE`), read back with poppler's tools:
//! `pdftotext` for what it says, `pdfinfo` for its pages and metadata, `pdffonts` for its
//! fonts, and lopdf for its outline. The facts it must state come from the engine's own
//! assessment of the same model (`CheckRun`, as the report is made from), so the test cannot
//! drift from the risks and questions.
//!
//! poppler-utils is required: without it these tests fail (they never skip). `make test`
//! installs it (`scripts/setup.sh`).

mod common;

#[path = "../bench/generator.rs"]
mod generator;

use std::collections::{BTreeMap, HashMap};
use std::io::ErrorKind;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use bartizan::risks::{Question, Risk};

use common::{example_models, relative, root};

/// A fixed generation time, so that a report's bytes depend only on the model.
const SOURCE_DATE_EPOCH: &str = "1795624800";

/// The report's main sections, each with an entry at the top of the outline.
const SECTIONS: &[&str] = &[
    "Table of contents",
    "Executive summary",
    "The system",
    "Risks",
    "Open questions",
    "Framework coverage",
    "Appendix",
];

/// Runs a poppler tool; a missing tool fails the test with the package to install.
fn poppler(tool: &str, args: &[&str]) -> Output {
    match Command::new(tool).args(args).output() {
        Ok(output) => {
            assert!(
                output.status.success(),
                "{tool} {args:?} failed: {}",
                String::from_utf8_lossy(&output.stderr)
            );
            output
        }
        Err(error) if error.kind() == ErrorKind::NotFound => panic!(
            "`{tool}` is not installed: the PDF tests need poppler-utils \
             (`sudo apt-get install poppler-utils`; `make test` installs it)"
        ),
        Err(error) => panic!("cannot run {tool}: {error}"),
    }
}

/// `bartizan report MODEL --pdf PDF` with `SOURCE_DATE_EPOCH` set and no workspace (so that
/// no triage audit trail of the machine's own workspace gets in); asserts it succeeded.
fn render(model: &Path, pdf: &Path) {
    let output = Command::new(env!("CARGO_BIN_EXE_bartizan"))
        .current_dir(root())
        .env("SOURCE_DATE_EPOCH", SOURCE_DATE_EPOCH)
        .env(
            "BARTIZAN_WORKSPACE",
            pdf.with_file_name("no-workspace.sqlite3"),
        )
        .args(["--color", "never", "report"])
        .arg(model)
        .arg("--pdf")
        .arg(pdf)
        .output()
        .expect("bartizan runs");
    assert_eq!(
        output.status.code(),
        Some(0),
        "bartizan report {}: {}",
        model.display(),
        String::from_utf8_lossy(&output.stderr)
    );
    let bytes = std::fs::read(pdf).expect("the report is written");
    assert!(
        bytes.starts_with(b"%PDF-"),
        "{} is not a PDF",
        pdf.display()
    );
}

/// What the checks say about a model, as the report is made from it: the risks in report
/// order with triage applied, the open questions, and the decisions that name no risk.
struct Assessed {
    name: String,
    risks: Vec<Risk>,
    questions: Vec<Question>,
    stale: usize,
    /// What the checks say about each risk (each facet's title and evidence, why it is
    /// critical), with ids replaced by the names drawn, as the report prints it.
    in_names: Vec<String>,
}

fn assessed(model: &Path) -> Assessed {
    let file = bartizan::store::read_model(model, &Default::default()).expect("a model file");
    let model = file.parsed.model.expect("a valid model");
    let run =
        bartizan::report::CheckRun::new(&model, String::new(), String::new(), HashMap::new(), None);
    let graph = bartizan::graph::ModelGraph::new(&model);
    let in_names = run
        .risks
        .iter()
        .flat_map(|risk| {
            risk.facets
                .iter()
                .flat_map(|facet| std::iter::once(&facet.title).chain(&facet.evidence))
                .chain(&risk.critical)
        })
        .map(|text| bartizan::risks::named(&graph, text))
        .collect();
    Assessed {
        in_names,
        name: model.metadata.name.clone(),
        risks: run.risks.clone(),
        questions: run.questions.clone(),
        stale: run.stale.len(),
    }
}

/// What a report says, as `pdftotext` reads it: the layout (`-layout`) and the plain reading
/// order, each with runs of white space collapsed, so that a phrase wrapped across lines or
/// set beside a margin column is still found.
struct Text {
    layout: String,
    reading: String,
}

impl Text {
    fn of(pdf: &Path) -> Text {
        let path = pdf.to_str().unwrap();
        let read = |args: &[&str]| {
            String::from_utf8(poppler("pdftotext", args).stdout).expect("pdftotext writes UTF-8")
        };
        Text {
            layout: read(&["-layout", "-enc", "UTF-8", path, "-"]),
            reading: read(&["-enc", "UTF-8", path, "-"]),
        }
    }

    fn contains(&self, needle: &str) -> bool {
        let needle = squash(needle);
        squash(&self.layout).contains(&needle) || squash(&self.reading).contains(&needle)
    }
}

/// White space collapsed, and quotes made one: the report sets the model's `code` quotes and
/// apostrophes typographically (‘ ’ “ ”), and a quoted id's possessive shares its closing
/// quote (`llm`'s prints as ‘llm’s).
fn squash(text: &str) -> String {
    text.split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .replace("`'s", "`s")
        .replace(['`', '‘', '’'], "'")
        .replace(['“', '”'], "\"")
}

/// `pdfinfo`'s fields (`Title`, `Author`, `Pages`, …). Indented lines (the description of
/// a PDF subtype, which has a `Title` of its own) are not the document's.
fn info(pdf: &Path) -> BTreeMap<String, String> {
    let output = poppler("pdfinfo", &["-enc", "UTF-8", pdf.to_str().unwrap()]);
    let mut fields = BTreeMap::new();
    for line in String::from_utf8(output.stdout)
        .expect("pdfinfo writes UTF-8")
        .lines()
        .filter(|line| !line.starts_with(char::is_whitespace))
    {
        if let Some((key, value)) = line.split_once(':') {
            fields
                .entry(key.trim().to_owned())
                .or_insert_with(|| value.trim().to_owned());
        }
    }
    fields
}

/// The most pages a report of `risks` risks should take: the fixed sections, then at most
/// two pages per risk.
fn page_bound(risks: usize) -> usize {
    // A risk is a section: its checks, its shortest path drawn, the fix and the references.
    20 + 3 * risks
}

/// `pdffonts`' rows: (name, embedded).
fn fonts(pdf: &Path) -> Vec<(String, bool)> {
    let output = poppler("pdffonts", &[pdf.to_str().unwrap()]);
    let text = String::from_utf8(output.stdout).expect("pdffonts writes UTF-8");
    let mut lines = text.lines();
    let header = lines.next().expect("a header");
    let rule = lines.next().expect("a rule under the header");
    // Columns are as wide as the dashes under their heading.
    let mut columns = Vec::new();
    let mut start = None;
    for (i, c) in rule.char_indices().chain([(rule.len(), ' ')]) {
        match (c, start) {
            ('-', None) => start = Some(i),
            (' ', Some(s)) => {
                columns.push((s, i));
                start = None;
            }
            _ => {}
        }
    }
    let heading = |name: &str| {
        columns
            .iter()
            .position(|&(s, e)| header.get(s..e.min(header.len())).map(str::trim) == Some(name))
            .unwrap_or_else(|| panic!("no `{name}` column in {header}"))
    };
    let (name, emb) = (heading("name"), heading("emb"));
    let cell = |line: &str, column: usize| {
        let (s, e) = columns[column];
        line.get(s..e.min(line.len()))
            .unwrap_or("")
            .trim()
            .to_owned()
    };
    lines
        .filter(|line| !line.trim().is_empty())
        .map(|line| (cell(line, name), cell(line, emb) == "yes"))
        .collect()
}

/// The outline's entries (level, title), read with lopdf.
fn outline(pdf: &Path) -> Vec<(usize, String)> {
    let bytes = std::fs::read(pdf).unwrap();
    let document = lopdf::Document::load_mem(&bytes).expect("lopdf reads the report");
    let toc = document.get_toc().expect("the report has an outline");
    assert!(toc.errors.is_empty(), "{:?}", toc.errors);
    toc.toc.into_iter().map(|e| (e.level, e.title)).collect()
}

/// What is wrong with a report, collected so that one run names every problem.
#[derive(Default)]
struct Problems(Vec<String>);

impl Problems {
    fn check(&mut self, ok: bool, problem: impl FnOnce() -> String) {
        if !ok {
            self.0.push(problem());
        }
    }

    fn assert_none(self) {
        assert!(self.0.is_empty(), "\n{}", self.0.join("\n"));
    }
}

/// Checks what every report must be: a sane page count, metadata, embedded DejaVu fonts.
/// Returns the page count.
fn check_report(pdf: &Path, name: &str, risks: usize, problems: &mut Problems) -> usize {
    let label = pdf.file_name().unwrap().to_string_lossy().into_owned();
    let info = info(pdf);
    let pages: usize = info["Pages"].parse().unwrap();
    problems.check((5..=page_bound(risks)).contains(&pages), || {
        format!("{label}: {pages} pages for {risks} risks")
    });
    for (field, expected) in [("Title", name), ("Subject", name), ("Producer", "Bartizan")] {
        let value = info.get(field).map(String::as_str).unwrap_or("");
        problems.check(value.contains(expected), || {
            format!("{label}: {field} `{value}` does not name `{expected}`")
        });
    }

    let fonts = fonts(pdf);
    problems.check(!fonts.is_empty(), || format!("{label}: no fonts"));
    for (font, embedded) in &fonts {
        problems.check(*embedded, || {
            format!("{label}: font {font} is not embedded")
        });
    }
    for face in ["DejaVuSans", "DejaVuSans-Bold", "DejaVuSansMono"] {
        problems.check(
            fonts
                .iter()
                .any(|(font, _)| font.rsplit('+').next() == Some(face)),
            || format!("{label}: no {face} among the fonts {fonts:?}"),
        );
    }
    pages
}

#[test]
fn every_example_reports_its_risks_questions_triage_and_references() {
    let dir = tempfile::tempdir().unwrap();
    let mut problems = Problems::default();
    for model in example_models() {
        let name = relative(&model);
        let assessed = assessed(&model);
        let pdf = dir
            .path()
            .join(model.file_name().unwrap())
            .with_extension("pdf");
        render(&model, &pdf);
        check_report(&pdf, &assessed.name, assessed.risks.len(), &mut problems);

        let text = Text::of(&pdf);
        let mut says = |needle: &str, what: &str| {
            problems.check(text.contains(needle), || {
                format!("{name}: the report does not say {what} `{needle}`")
            });
        };
        says(&assessed.name, "the model name");
        says("Table of contents", "its contents heading");
        says(
            &counts_sentence(&assessed),
            "the count of risks by severity",
        );
        if assessed.risks.is_empty() {
            says("No risks", "that there are none");
        } else {
            says(
                &format!("{} in all", assessed.risks.len()),
                "the count of risks on the cover",
            );
        }
        for (index, risk) in assessed.risks.iter().enumerate() {
            says(
                &format!("R-{:02} {}", index + 1, risk.title),
                "the risk, numbered in report order,",
            );
            says(&risk.fingerprint, "the risk fingerprint");
            for rule in risk.rules() {
                says(rule, "the check of a facet");
            }
            for reference in &risk.references {
                says(&reference.id(), "the framework id");
            }
            if risk.critical.is_some() {
                says("Why critical", "why the risk is critical");
            }
            for assumption in &risk.assumed {
                says(assumption.reading, "how an unstated property is read");
            }
        }
        for text in &assessed.in_names {
            says(text, "what a check found");
        }
        if assessed.questions.is_empty() {
            says("No open questions", "that no question is open");
        }
        for question in &assessed.questions {
            says(&question.text, "the open question");
            says(question.reading, "how the unstated property is read");
            // The first few, and how many more (`LISTED_PENDING` in the report).
            for pending in question.pending.iter().take(4) {
                says(&pending.title, "the finding the question decides");
            }
            if question.pending.len() > 4 {
                says(
                    &format!("and {} more", question.pending.len() - 4),
                    "how many more findings the question decides",
                );
            }
        }
        for decision in triage_justifications(&model) {
            says(&decision, "the triage justification");
        }

        let outline = outline(&pdf);
        for section in SECTIONS {
            problems.check(
                outline.iter().any(|(level, title)| {
                    *level == 1
                        && title.trim_start_matches(|c: char| c.is_ascii_digit() || c == ' ')
                            == *section
                }),
                || format!("{name}: no `{section}` at the top of the outline {outline:?}"),
            );
        }
    }
    problems.assert_none();
}

/// The summary's count of risks by severity: "They found 9 risks: 2 critical, 7 high".
fn counts_sentence(assessed: &Assessed) -> String {
    use bartizan::findings::Severity;
    let risks = &assessed.risks;
    if risks.is_empty() {
        return "No risks.".to_owned();
    }
    let by_severity: Vec<String> = Severity::ALL
        .iter()
        .map(|&severity| {
            (
                severity,
                risks.iter().filter(|r| r.severity == severity).count(),
            )
        })
        .filter(|&(_, n)| n > 0)
        .map(|(severity, n)| format!("{n} {severity}"))
        .collect();
    let noun = if risks.len() == 1 { "risk" } else { "risks" };
    format!(
        "They found {} {noun}: {}.",
        risks.len(),
        by_severity.join(", ")
    )
}

/// Every justification in the model's triage decisions, stale ones included.
fn triage_justifications(model: &Path) -> Vec<String> {
    let file = bartizan::store::read_model(model, &Default::default()).unwrap();
    file.parsed
        .model
        .unwrap()
        .triage
        .into_iter()
        .filter_map(|decision| decision.justification)
        .collect()
}

#[test]
fn triage_decisions_and_their_justifications_are_reported() {
    use bartizan::model::{TriageDecision, TriageStatus};

    // The example with the most risks, its own decisions set aside: three of its risks get
    // one decision of each kind.
    let example = example_models()
        .into_iter()
        .max_by_key(|model| assessed(model).risks.len())
        .unwrap();
    let before = assessed(&example);
    assert!(
        before.risks.len() >= 3,
        "{} has {} risks",
        relative(&example),
        before.risks.len()
    );
    let justifications = [
        "Refunds over 50 EUR are held by the billing system for a supervisor; key replaced in Q1.",
        "The connector's calls pass the CRM's own field-level policy (change CRM-4521).",
        "The mailbox only accepts mail from the company's own domains.",
    ];
    let mut model = bartizan::store::read_model(&example, &Default::default())
        .unwrap()
        .parsed
        .model
        .unwrap();
    model.triage.clear();
    let statuses = [
        TriageStatus::Accepted,
        TriageStatus::Mitigated,
        TriageStatus::FalsePositive,
    ];
    for (i, status) in statuses.into_iter().enumerate() {
        model.triage.push(TriageDecision {
            fingerprint: before.risks[i].fingerprint.clone(),
            rule: None,
            status,
            justification: Some(justifications[i].to_owned()),
            by: Some("Risk board".to_owned()),
            at: Some(format!("2026-11-2{i}")),
        });
    }
    // A decision whose risk is gone: stale.
    let stale = "Superseded by the connector's new key (decided before the redesign).";
    model.triage.push(TriageDecision {
        fingerprint: "BTZ-RISK-ACT:0000000000000000".to_owned(),
        rule: None,
        status: TriageStatus::Accepted,
        justification: Some(stale.to_owned()),
        by: Some("Risk board".to_owned()),
        at: None,
    });
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("triaged.bartizan.yaml");
    std::fs::write(&path, bartizan::syntax::to_yaml(&model)).unwrap();
    let after = assessed(&path);
    assert_eq!(after.stale, 1, "only the decision about no risk is stale");

    let pdf = dir.path().join("triaged.pdf");
    render(&path, &pdf);
    let mut problems = Problems::default();
    check_report(&pdf, &model.metadata.name, after.risks.len(), &mut problems);
    let text = Text::of(&pdf);
    for justification in triage_justifications(&path) {
        problems.check(text.contains(&justification), || {
            format!("the report does not say the justification `{justification}`")
        });
    }
    // Who decided and when, the stale decision's fingerprint, and the decided risks as
    // their status says.
    for needle in [
        "Risk board",
        "2026-11-20",
        "2026-11-21",
        "2026-11-22",
        "BTZ-RISK-ACT:0000000000000000",
        "name a risk that no longer exists",
        "Status accepted",
        "Status mitigated",
        "Status false positive",
    ] {
        problems.check(text.contains(needle), || {
            format!("the report does not say `{needle}`")
        });
    }
    problems.assert_none();
}

#[test]
fn a_model_without_risks_says_so() {
    let dir = tempfile::tempdir().unwrap();
    let model = dir.path().join("lone.bartizan.yaml");
    std::fs::write(
        &model,
        "bartizan: 1\nmetadata:\n  name: Lone human\n\nnodes:\n  - id: reviewer\n    kind: human\n    name: Reviewer\n",
    )
    .unwrap();
    let assessed = assessed(&model);
    assert_eq!(assessed.risks.len(), 0);
    assert_eq!(assessed.questions.len(), 0);
    let pdf = dir.path().join("lone.pdf");
    render(&model, &pdf);
    let mut problems = Problems::default();
    check_report(&pdf, "Lone human", 0, &mut problems);
    let text = Text::of(&pdf);
    for needle in [
        "No risks",
        "Lone human",
        "No open questions",
        "No risk cites a framework entry",
    ] {
        problems.check(text.contains(needle), || {
            format!("the report does not say `{needle}`:\n{}", text.layout)
        });
    }
    problems.assert_none();
}

#[test]
fn a_large_model_makes_a_valid_report() {
    let generated = generator::generate(300, 5, 11);
    assert!(
        (300..=330).contains(&generated.nodes.len()),
        "{} nodes",
        generated.nodes.len()
    );
    let dir = tempfile::tempdir().unwrap();
    let model = dir.path().join("estate.bartizan.yaml");
    std::fs::write(&model, bartizan::syntax::to_yaml(&generated)).unwrap();
    let assessed = assessed(&model);
    let risks = &assessed.risks;
    assert!(risks.len() >= 100, "only {} risks", risks.len());

    let pdf = dir.path().join("estate.pdf");
    render(&model, &pdf);
    let mut problems = Problems::default();
    check_report(&pdf, &generated.metadata.name, risks.len(), &mut problems);
    let text = Text::of(&pdf);
    // The name, the first and the last risk in report order, and the last question.
    let last = format!("R-{:03} {}", risks.len(), risks.last().unwrap().title);
    for needle in [
        generated.metadata.name.as_str(),
        &format!("R-001 {}", risks[0].title),
        &last,
        &assessed.questions.last().expect("questions").text,
    ] {
        problems.check(text.contains(needle), || {
            format!("the report does not say `{needle}`")
        });
    }
    problems.assert_none();
}

#[test]
fn non_ascii_names_survive() {
    let name = "Zürich Ops — Ünïcode";
    let owner = "Équipe Sécurité";
    let dir = tempfile::tempdir().unwrap();
    let model = dir.path().join("zurich.bartizan.yaml");
    std::fs::write(
        &model,
        format!(
            "bartizan: 1\nmetadata:\n  name: {name}\n  owner: {owner}\n\nnodes:\n  - id: agent\n    kind: agent\n    name: Agent für Überweisungen\n  - id: key\n    kind: secret\n    name: Schlüssel «Zahlung» ✓\n  - id: clerk\n    kind: human\n    name: Buchhalterin Ærøskøbing\n\nedges:\n  - from: agent\n    relation: holds\n    to: key\n  - from: clerk\n    relation: holds\n    to: key\n"
        ),
    )
    .unwrap();
    let assessed = assessed(&model);
    assert!(!assessed.risks.is_empty());
    let pdf = dir.path().join("zurich.pdf");
    render(&model, &pdf);
    let mut problems = Problems::default();
    check_report(&pdf, name, assessed.risks.len(), &mut problems);
    let author = info(&pdf).get("Author").cloned().unwrap_or_default();
    problems.check(author == owner, || format!("Author is `{author}`"));
    let text = Text::of(&pdf);
    let names = [
        name,
        owner,
        "Agent für Überweisungen",
        "Schlüssel «Zahlung» ✓",
    ];
    let titles = assessed.risks.iter().map(|r| r.title.as_str());
    let questions = assessed.questions.iter().map(|q| q.text.as_str());
    for needle in names.into_iter().chain(titles).chain(questions) {
        problems.check(text.contains(needle), || {
            format!("the report does not say `{needle}`")
        });
    }
    problems.assert_none();
}

#[test]
fn the_author_is_the_models_owner() {
    let dir = tempfile::tempdir().unwrap();
    let pdf = dir.path().join("support.pdf");
    render(&root().join("models/customer-support.bartizan.yaml"), &pdf);
    assert_eq!(info(&pdf)["Author"], "Customer Operations");
}

#[test]
fn the_same_model_and_time_give_the_same_bytes() {
    let dir = tempfile::tempdir().unwrap();
    let model = PathBuf::from("models/customer-support.bartizan.yaml");
    let (first, second) = (dir.path().join("first.pdf"), dir.path().join("second.pdf"));
    render(&model, &first);
    render(&model, &second);
    assert!(
        std::fs::read(&first).unwrap() == std::fs::read(&second).unwrap(),
        "two runs of `bartizan report` on the same model at the same time differ"
    );

    // Also within one process, as the desktop app renders one export after another.
    let text = std::fs::read_to_string(root().join(&model)).unwrap();
    let parsed =
        bartizan::syntax::parse_model(&text, bartizan::syntax::Format::Yaml, &Default::default());
    let options = bartizan::report::pdf::PdfOptions {
        generated_at: SOURCE_DATE_EPOCH.parse().unwrap(),
        audit: None,
    };
    let render = || {
        bartizan::analysis::render_pdf(&text, &parsed, "support.bartizan.yaml", &options).unwrap()
    };
    assert!(
        render() == render(),
        "two renderings in one process of the same model at the same time differ"
    );
}

#[test]
fn the_appendix_carries_the_workspaces_triage_audit_trail() {
    let dir = tempfile::tempdir().unwrap();
    let workspace = dir.path().join("workspace.sqlite3");
    let model = dir.path().join("finance.bartizan.yaml");
    let original =
        std::fs::read_to_string(root().join("models/finance-ops.bartizan.yaml")).unwrap();
    let cli = |args: &[&str]| {
        let output = Command::new(env!("CARGO_BIN_EXE_bartizan"))
            .env("SOURCE_DATE_EPOCH", SOURCE_DATE_EPOCH)
            .args(["--color", "never"])
            .args(args)
            .arg("--workspace")
            .arg(&workspace)
            .output()
            .expect("bartizan runs");
        assert_eq!(
            output.status.code(),
            Some(0),
            "bartizan {args:?}: {}",
            String::from_utf8_lossy(&output.stderr)
        );
    };
    let model_arg = model.to_str().unwrap();
    std::fs::write(&model, &original).unwrap();
    cli(&["record", model_arg, "--author", "Lena Hoffmann"]);
    let accepted_to_mitigated = original.replacen("status: accepted", "status: mitigated", 1);
    assert_ne!(accepted_to_mitigated, original);
    std::fs::write(&model, &accepted_to_mitigated).unwrap();
    cli(&["record", model_arg, "--author", "Lena Hoffmann"]);

    let pdf = dir.path().join("report.pdf");
    cli(&["report", model_arg, "--pdf", pdf.to_str().unwrap()]);
    let text = Text::of(&pdf);
    assert!(text.contains("Triage audit trail"));
    assert!(
        text.contains("accepted → mitigated"),
        "the change from revision 2"
    );
    assert!(text.contains("revision 2"));
    assert!(text.contains("(no decision) → accepted"));

    // Without a workspace there is no trail, and the report does not pretend there is one.
    let bare = dir.path().join("bare.pdf");
    let output = Command::new(env!("CARGO_BIN_EXE_bartizan"))
        .env("SOURCE_DATE_EPOCH", SOURCE_DATE_EPOCH)
        .args(["--color", "never", "report", model_arg, "--pdf"])
        .arg(&bare)
        .arg("--workspace")
        .arg(dir.path().join("none.sqlite3"))
        .output()
        .expect("bartizan runs");
    assert_eq!(output.status.code(), Some(0));
    assert!(
        !dir.path().join("none.sqlite3").exists(),
        "reading the trail creates nothing"
    );
    let text = Text::of(&bare);
    assert!(text.contains("Triage audit trail"));
    assert!(text.contains("The workspace holds no triage change for this model"));
}

/// Runs poppler's text extraction over every page and returns what it complained about.
fn poppler_complaints(pdf: &Path) -> String {
    let path = pdf.to_str().unwrap();
    let mut complaints = String::new();
    for args in [vec![path], vec!["-enc", "UTF-8", path, "-"]] {
        let tool = if args.len() == 1 {
            "pdfinfo"
        } else {
            "pdftotext"
        };
        complaints.push_str(&String::from_utf8_lossy(&poppler(tool, &args).stderr));
    }
    complaints
}

/// The farthest and the tiniest coordinates a model may hold (validation refuses larger ones).
#[test]
fn extreme_layout_coordinates_still_make_a_readable_pdf() {
    let dir = tempfile::tempdir().unwrap();
    let model = dir.path().join("far.bartizan.yaml");
    std::fs::write(
        &model,
        "bartizan: 1\nmetadata:\n  name: Far away\n\nnodes:\n  - id: agent\n    kind: agent\n    name: Near agent\n  - id: key\n    kind: secret\n    name: Distant key\n  - id: tool\n    kind: tool\n    name: Tiny tool\n\nedges:\n  - from: agent\n    relation: holds\n    to: key\n  - from: agent\n    relation: invokes\n    to: tool\n\nboundaries:\n  - id: zone\n    name: Huge zone\n    zone: vendor\n    members: [tool]\n\nlayout:\n  nodes:\n    agent: {x: -1000000, y: 0}\n    key: {x: 1000000, y: 1000000}\n    tool: {x: 5.0e-324, y: -1000000}\n  boundaries:\n    zone: {x: -1000000, y: -1000000, width: 1000000, height: 1.0e-300}\n",
    )
    .unwrap();
    let pdf = dir.path().join("far.pdf");
    render(&model, &pdf);
    let complaints = poppler_complaints(&pdf);
    assert!(complaints.is_empty(), "poppler: {complaints}");
    let bytes = std::fs::read(&pdf).unwrap();
    let mut document = lopdf::Document::load_mem(&bytes).unwrap();
    document.decompress();
    for (number, page) in document.get_pages() {
        let content = document.get_page_content(page);
        let content = String::from_utf8_lossy(&content);
        for word in ["NaN", "inf"] {
            assert!(
                !content.split_whitespace().any(|token| token.contains(word)),
                "page {number} draws `{word}`"
            );
        }
    }
    let text = Text::of(&pdf);
    for name in ["Near agent", "Distant key", "Tiny tool"] {
        assert!(text.contains(name), "the report does not say `{name}`");
    }
}

/// What `pdftotext` reads on page `page` alone.
fn page_text(pdf: &Path, page: usize) -> String {
    let page = page.to_string();
    let args = [
        "-f",
        &page,
        "-l",
        &page,
        "-enc",
        "UTF-8",
        pdf.to_str().unwrap(),
        "-",
    ];
    squash(&String::from_utf8(poppler("pdftotext", &args).stdout).unwrap())
}

#[test]
fn long_names_and_fields_wrap_and_keep_the_cover_whole() {
    let words = |word: &str, count: usize| vec![word; count].join(" ");
    let name = format!("Payments {}", words("platform", 222));
    assert!(name.len() >= 2_000);
    let description = words("Describes the estate at length.", 120);
    let owner = format!("Team {}", words("owner", 100));
    let long_node = words("longnodename", 200);
    let dir = tempfile::tempdir().unwrap();
    let model = dir.path().join("long.bartizan.yaml");
    std::fs::write(
        &model,
        format!(
            "bartizan: 1\nmetadata:\n  name: {name}\n  owner: {owner}\n  revision: {owner}\n  description: {description}\n\nnodes:\n  - id: agent\n    kind: agent\n    name: {long_node}\n  - id: key\n    kind: secret\n    name: Key\n  - id: clerk\n    kind: human\n    name: Clerk\n\nedges:\n  - from: agent\n    relation: holds\n    to: key\n  - from: clerk\n    relation: holds\n    to: key\n"
        ),
    )
    .unwrap();
    let pdf = dir.path().join("long.pdf");
    render(&model, &pdf);
    assert!(poppler_complaints(&pdf).is_empty());
    let cover = page_text(&pdf, 1);
    for needle in [
        "Payments platform platform",
        "…",
        "Describes the estate at length.",
        "Owner",
        "Team owner",
        "Revision",
        "Model file",
        "long.bartizan.yaml",
        "Content hash",
        "Model size",
        "3 nodes, 2 edges, 0 boundaries",
        "Generated by",
        "Risks",
        "critical",
        "info",
        "in all,",
        "The risks and questions are a function of the model file",
    ] {
        assert!(
            cover.contains(needle),
            "the cover does not say `{needle}`: {cover}"
        );
    }
    // The rest of the report still holds the long node name, wrapped or cut short.
    let text = Text::of(&pdf);
    assert!(text.contains("longnodename longnodename"));
}

#[test]
fn the_cover_names_the_model_file_without_its_folders() {
    let dir = tempfile::tempdir().unwrap();
    let folder = dir.path().join("home-of-someone");
    std::fs::create_dir(&folder).unwrap();
    let model = folder.join("support.bartizan.yaml");
    std::fs::copy(root().join("models/customer-support.bartizan.yaml"), &model).unwrap();
    let pdf = dir.path().join("support.pdf");
    render(&model, &pdf);
    let text = Text::of(&pdf);
    assert!(text.contains("Model file support.bartizan.yaml"));
    for folder in [folder.to_str().unwrap(), "home-of-someone"] {
        assert!(
            !text.layout.contains(folder) && !text.reading.contains(folder),
            "the report names the folder `{folder}`"
        );
    }
}
