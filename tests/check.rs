//! `bartizan check`: outputs, triage, baselines, exit codes and fingerprint stability.

mod common;

use bartizan::graph::ModelGraph;
use bartizan::model::Model;
use bartizan::syntax::{Format, Limits, parse_model, to_yaml};
use common::{bartizan, stdout};

const SHARED: &str = "models/legacy-rpa-shared-token.bartizan.yaml";

fn load(path: &str) -> Model {
    let source = std::fs::read_to_string(common::root().join(path)).unwrap();
    parse_model(&source, Format::Yaml, &Limits::default())
        .model
        .unwrap()
}

fn json_report(args: &[&str]) -> serde_json::Value {
    let output = bartizan(args);
    serde_json::from_slice(&output.stdout).unwrap_or_else(|e| panic!("{e}: {}", stdout(&output)))
}

/// Runs `with` on the check run of a model file, as `bartizan check` makes it.
fn with_run<T>(path: &str, with: impl FnOnce(&bartizan::report::CheckRun) -> T) -> T {
    let source = std::fs::read_to_string(common::root().join(path)).unwrap();
    with_run_of(path, &source, with)
}

fn with_run_of<T>(
    path: &str,
    source: &str,
    with: impl FnOnce(&bartizan::report::CheckRun) -> T,
) -> T {
    let parsed = parse_model(source, Format::Yaml, &Limits::default());
    let model = parsed.valid_model().expect("a valid model");
    let run = bartizan::report::CheckRun::new(
        model,
        path.to_owned(),
        bartizan::report::content_hash(source.as_bytes()),
        parsed.locations(source),
        None,
    );
    with(&run)
}

fn sarif_level(severity: bartizan::findings::Severity) -> &'static str {
    use bartizan::findings::Severity;
    match severity {
        Severity::Critical | Severity::High => "error",
        Severity::Medium => "warning",
        Severity::Low | Severity::Info => "note",
    }
}

#[test]
fn sarif_is_valid_sarif_2_1_0_with_one_result_per_risk_and_per_question() {
    let schema: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(common::root().join("tests/fixtures/sarif-schema-2.1.0.json"))
            .unwrap(),
    )
    .unwrap();
    let validator = jsonschema::options()
        .with_draft(jsonschema::Draft::Draft7)
        .should_validate_formats(false)
        .build(&schema)
        .expect("the official SARIF 2.1.0 schema loads");
    let mut questions_seen = 0;
    for model in common::example_models() {
        let path = common::relative(&model);
        let sarif = json_report(&["check", "--format", "sarif", "--fail-on", "none", &path]);
        let errors: Vec<String> = validator
            .iter_errors(&sarif)
            .map(|e| format!("{e} at {}", e.instance_path()))
            .collect();
        assert!(errors.is_empty(), "{path}: {errors:#?}");

        let log = &sarif["runs"][0];
        let rules = log["tool"]["driver"]["rules"].as_array().unwrap();
        let kinds = bartizan::risks::RiskKind::ALL;
        assert_eq!(rules.len(), kinds.len() + 1 + bartizan::rules::ALL.len());
        let rule_id = |index: &serde_json::Value| {
            rules[index.as_u64().unwrap() as usize]["id"]
                .as_str()
                .unwrap()
                .to_owned()
        };
        // Each check is a rule related to the rule of its risk kind.
        for check in bartizan::rules::ALL {
            let rule = rules.iter().find(|r| r["id"] == check.id).unwrap();
            let target = &rule["relationships"][0]["target"];
            assert_eq!(target["id"], check.risk.code());
            assert_eq!(rule_id(&target["index"]), check.risk.code());
        }
        with_run(&path, |run| {
            let results = log["results"].as_array().unwrap();
            assert_eq!(
                results.len(),
                run.risks.len() + run.questions.len(),
                "{path}"
            );
            let (risk_results, question_results) = results.split_at(run.risks.len());
            for (result, risk) in risk_results.iter().zip(&run.risks) {
                assert_eq!(result["ruleId"], risk.kind.code());
                assert_eq!(rule_id(&result["ruleIndex"]), risk.kind.code());
                assert_eq!(result["level"], sarif_level(risk.severity));
                assert_eq!(
                    result["partialFingerprints"]["bartizanRisk/v1"],
                    risk.fingerprint
                );
                let region = &result["locations"][0]["physicalLocation"]["region"];
                let place = run.place_location(risk).unwrap();
                assert_eq!(region["startLine"], place.line, "{path}");
                let related = result["relatedLocations"].as_array().unwrap();
                assert_eq!(related.len(), risk.facets.len(), "{path}");
                let message = result["message"]["text"].as_str().unwrap();
                for (index, facet) in risk.facets.iter().enumerate() {
                    assert!(
                        message.contains(&format!("[{}]({index})", facet.rule)),
                        "{message}"
                    );
                }
                let facets = result["properties"]["facets"].as_array().unwrap();
                for ((location, facet), listed) in related.iter().zip(&risk.facets).zip(facets) {
                    let message = location["message"]["text"].as_str().unwrap();
                    assert!(message.starts_with(facet.rule), "{message}");
                    assert_eq!(listed["ruleId"], facet.rule);
                    assert_eq!(rule_id(&listed["ruleIndex"]), facet.rule);
                    let line = &location["physicalLocation"]["region"]["startLine"];
                    assert_eq!(*line, run.location(facet).unwrap().line, "{path}");
                }
                assert_eq!(result["properties"]["paths"], risk.priority.paths);
            }
            for (result, question) in question_results.iter().zip(&run.questions) {
                assert_eq!(result["ruleId"], "BTZ-QUESTION");
                assert_eq!(rule_id(&result["ruleIndex"]), "BTZ-QUESTION");
                assert_eq!(result["level"], "note");
                assert!(result["properties"]["security-severity"].is_null());
                assert_eq!(
                    result["partialFingerprints"]["bartizanQuestion/v1"],
                    question.id
                );
                let text = result["message"]["text"].as_str().unwrap();
                assert!(text.starts_with(&question.text), "{text}");
                assert!(text.contains(question.reading), "{text}");
                for pending in &question.pending {
                    assert!(text.contains(&pending.title), "{text}");
                }
            }
            questions_seen += run.questions.len();
        });
    }
    assert!(questions_seen > 0, "some example asks a question");
}

#[test]
fn sarif_points_at_the_place_of_each_risk_and_the_subject_of_each_facet() {
    let sarif = json_report(&["check", "--format", "sarif", "--fail-on", "none", SHARED]);
    let source = std::fs::read_to_string(common::root().join(SHARED)).unwrap();
    let defines = |location: &serde_json::Value| {
        let id = location["logicalLocations"][0]["name"].as_str().unwrap();
        let line = location["physicalLocation"]["region"]["startLine"]
            .as_u64()
            .unwrap() as usize;
        let text = source.lines().nth(line - 1).unwrap();
        assert!(
            text.contains(id),
            "line {line} `{text}` should define `{id}`"
        );
    };
    let results = sarif["runs"][0]["results"].as_array().unwrap();
    assert!(!results.is_empty());
    for result in results {
        defines(&result["locations"][0]);
        for related in result["relatedLocations"].as_array().into_iter().flatten() {
            defines(related);
        }
    }
}

#[test]
fn json_report_is_versioned_and_complete() {
    let report = json_report(&["check", "--format", "json", "--fail-on", "none", SHARED]);
    assert_eq!(report["version"], 2);
    assert_eq!(report["tool"]["name"], "bartizan");
    assert!(
        report["model"]["content_hash"]
            .as_str()
            .unwrap()
            .starts_with("sha256:")
    );
    assert!(report.get("findings").is_none(), "findings live in risks");
    let risks = report["risks"].as_array().unwrap();
    assert!(!risks.is_empty());
    let summary = &report["summary"];
    assert_eq!(summary["total"], risks.len());
    let by_severity: u64 = summary["by_severity"]
        .as_object()
        .unwrap()
        .values()
        .map(|n| n.as_u64().unwrap())
        .sum();
    assert_eq!(by_severity, risks.len() as u64);
    let questions = report["questions"].as_array().unwrap();
    assert_eq!(summary["questions"], questions.len());
    let step_reasons = |path: &serde_json::Value| {
        path.as_array()
            .unwrap()
            .iter()
            .skip(1)
            .all(|step| step["hop"]["reason"].is_string())
    };
    for risk in risks {
        for field in [
            "fingerprint",
            "kind",
            "kind_label",
            "place",
            "place_name",
            "title",
            "severity",
            "priority",
            "remediation",
            "paths",
            "path_count",
            "facets",
            "references",
            "status",
            "location",
        ] {
            assert!(!risk[field].is_null(), "missing {field} in {risk}");
        }
        let fingerprint = risk["fingerprint"].as_str().unwrap();
        assert!(fingerprint.starts_with("BTZ-RISK-"), "{fingerprint}");
        let paths = risk["paths"].as_array().unwrap();
        assert!(!paths.is_empty() && paths.len() <= bartizan::risks::PATHS_SHOWN);
        assert!(risk["path_count"].as_u64().unwrap() >= paths.len() as u64);
        assert!(paths.iter().all(step_reasons));
        let facets = risk["facets"].as_array().unwrap();
        assert!(!facets.is_empty());
        // The risk is as severe as its most severe facet, which comes first.
        assert_eq!(risk["severity"], facets[0]["severity"]);
        for facet in facets {
            for field in [
                "rule",
                "rule_title",
                "title",
                "subjects",
                "path",
                "other_paths",
                "severity",
                "default_severity",
                "fingerprint",
                "location",
            ] {
                assert!(!facet[field].is_null(), "missing {field} in {facet}");
            }
            assert!(step_reasons(&facet["path"]));
            // No facet holds only because of an unstated property: those are questions.
            for assumption in facet["assumptions"].as_array().into_iter().flatten() {
                assert_eq!(assumption["decisive"], false, "{facet}");
            }
        }
    }
    for question in questions {
        for field in [
            "id",
            "element",
            "element_name",
            "property",
            "text",
            "reading",
            "rules",
            "location",
        ] {
            assert!(!question[field].is_null(), "missing {field} in {question}");
        }
    }
}

/// Splits RFC 4180 CSV into rows of cells (quoted cells may hold commas and line breaks).
fn csv_rows(text: &str) -> Vec<Vec<String>> {
    let mut rows = Vec::new();
    let mut row = Vec::new();
    let mut cell = String::new();
    let mut quoted = false;
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match (quoted, c) {
            (true, '"') if chars.peek() == Some(&'"') => {
                chars.next();
                cell.push('"');
            }
            (true, '"') => quoted = false,
            (true, c) => cell.push(c),
            (false, '"') => quoted = true,
            (false, ',') => row.push(std::mem::take(&mut cell)),
            (false, '\r') => {}
            (false, '\n') => {
                row.push(std::mem::take(&mut cell));
                rows.push(std::mem::take(&mut row));
            }
            (false, c) => cell.push(c),
        }
    }
    rows
}

#[test]
fn csv_has_a_row_per_risk_then_per_question() {
    for model in common::example_models() {
        let path = common::relative(&model);
        with_run(&path, |run| {
            let csv = run.render(bartizan::report::Format::Csv, false);
            let rows = csv_rows(&csv);
            let header = &rows[0];
            assert_eq!(header[0], "type");
            let column = |name: &str| header.iter().position(|h| h == name).unwrap();
            assert!(rows.iter().all(|row| row.len() == header.len()), "{path}");
            let body = &rows[1..];
            assert_eq!(body.len(), run.risks.len() + run.questions.len(), "{path}");
            let (risk_rows, question_rows) = body.split_at(run.risks.len());
            for (row, risk) in risk_rows.iter().zip(&run.risks) {
                assert_eq!(row[0], "risk");
                assert_eq!(row[column("fingerprint")], risk.fingerprint);
                assert_eq!(row[column("severity")], risk.severity.as_str());
                assert_eq!(row[column("place")], risk.place);
                assert_eq!(row[column("facets")], risk.rules().join(";"));
                assert_eq!(row[column("paths")], risk.priority.paths.to_string());
                assert_eq!(row[column("status")], risk.status().as_str());
            }
            for (row, question) in question_rows.iter().zip(&run.questions) {
                assert_eq!(row[0], "question");
                assert_eq!(row[column("fingerprint")], question.id);
                assert_eq!(row[column("kind")], question.property);
                assert_eq!(row[column("title")], question.text);
                assert_eq!(row[column("assumes")], question.reading);
                assert_eq!(
                    row[column("decides")].is_empty(),
                    question.pending.is_empty()
                );
            }
        });
    }
}

#[test]
fn markdown_has_a_section_per_risk_and_lists_the_open_questions() {
    for model in common::example_models() {
        let path = common::relative(&model);
        with_run(&path, |run| {
            let markdown = run.render(bartizan::report::Format::Markdown, false);
            let sections: Vec<&str> = markdown
                .lines()
                .filter(|line| line.starts_with("### "))
                .collect();
            assert_eq!(sections.len(), run.risks.len(), "{path}");
            for (number, risk) in run.risks.iter().enumerate() {
                assert!(sections[number].starts_with(&format!("### {}. ", number + 1)));
                assert!(markdown.contains(&risk.fingerprint), "{path}");
                for rule in risk.rules() {
                    assert!(markdown.contains(&format!("- {rule} ")), "{path}: {rule}");
                }
            }
            if run.questions.is_empty() {
                assert!(!markdown.contains("## Open questions"), "{path}");
            } else {
                assert!(
                    markdown.contains(&format!("## Open questions ({})\n", run.questions.len())),
                    "{path}"
                );
                let listed = markdown
                    .lines()
                    .filter(|line| line.starts_with("- **"))
                    .count();
                assert_eq!(listed, run.questions.len(), "{path}");
            }
        });
    }
}

/// Every report's totals are those of its list: the text summary, the Markdown severity table
/// and risk table, the CSV rows and the SARIF results all count the same risks.
#[test]
fn every_report_counts_the_risks_it_lists() {
    use bartizan::findings::Severity;
    for model in common::example_models() {
        let path = common::relative(&model);
        with_run(&path, |run| {
            let by_severity =
                |severity: Severity| run.risks.iter().filter(|r| r.severity == severity).count();

            let text = run.render(bartizan::report::Format::Text, false);
            let headers: Vec<&str> = text
                .lines()
                .filter(|line| {
                    Severity::ALL
                        .iter()
                        .any(|s| line.starts_with(&format!("{:<8} ", s.as_str())))
                })
                .collect();
            assert_eq!(headers.len(), run.risks.len(), "{path}");
            let summary = text.lines().last().unwrap();
            if run.risks.is_empty() {
                assert!(summary.contains("no risks"), "{summary}");
            } else {
                let chips: Vec<String> = Severity::ALL
                    .iter()
                    .filter(|s| by_severity(**s) > 0)
                    .map(|s| format!("{} {s}", by_severity(*s)))
                    .collect();
                assert!(
                    summary.contains(&format!("{} risk", run.risks.len()))
                        && summary.contains(&format!("({})", chips.join(", "))),
                    "{path}: {summary}"
                );
                for severity in Severity::ALL {
                    let listed = headers
                        .iter()
                        .filter(|h| h.starts_with(severity.as_str()))
                        .count();
                    assert_eq!(listed, by_severity(*severity), "{path} {severity}");
                }
            }
            match run.questions.len() {
                0 => assert!(!text.contains("Open questions"), "{path}"),
                n => {
                    assert!(
                        text.contains(&format!("\nOpen questions ({n})\n")),
                        "{path}"
                    );
                    assert!(summary.contains(&format!("{n} open question")), "{summary}");
                    assert_eq!(text.lines().filter(|l| l.starts_with("  ? ")).count(), n);
                }
            }

            let markdown = run.render(bartizan::report::Format::Markdown, false);
            for severity in Severity::ALL {
                assert!(
                    markdown.contains(&format!("| {severity} | {} |\n", by_severity(*severity))),
                    "{path} {severity}"
                );
            }
            assert!(markdown.contains(&format!("| **total** | **{}** |\n", run.risks.len())));
            let table_rows = markdown
                .lines()
                .filter(|line| {
                    line.strip_prefix("| ")
                        .and_then(|rest| rest.split(' ').next())
                        .is_some_and(|n| n.parse::<usize>().is_ok())
                })
                .count();
            assert_eq!(table_rows, run.risks.len(), "{path}");
        });
    }
}

/// Triage decisions recorded on risk fingerprints show in every format: the status and
/// justification in text, Markdown and CSV, a suppression in SARIF.
#[test]
fn every_report_shows_the_triage_of_a_risk() {
    let source = std::fs::read_to_string(common::root().join(SHARED)).unwrap();
    let fingerprint = with_run(SHARED, |run| run.risks[0].fingerprint.clone());
    let mut model = load(SHARED);
    model.triage = vec![bartizan::model::TriageDecision {
        fingerprint: fingerprint.clone(),
        rule: None,
        status: bartizan::model::TriageStatus::Accepted,
        justification: Some("Compensating control: quarterly access review".into()),
        by: Some("risk-board".into()),
        at: Some("2026-11-20".into()),
    }];
    let triaged = to_yaml(&model);
    assert_ne!(triaged, source);
    with_run_of(SHARED, &triaged, |run| {
        assert!(run.stale.is_empty());
        let text = run.render(bartizan::report::Format::Text, false);
        assert!(
            text.contains(&format!(
                "{fingerprint}  [accepted: Compensating control: quarterly access review]"
            )),
            "{text}"
        );
        assert!(
            text.lines().last().unwrap().contains("1 accepted"),
            "{text}"
        );
        let markdown = run.render(bartizan::report::Format::Markdown, false);
        assert!(
            markdown.contains("**Triage.** accepted: Compensating control\\: quarterly access review (risk\\-board, 2026\\-11\\-20)"),
            "{markdown}"
        );
        let csv = csv_rows(&run.render(bartizan::report::Format::Csv, false));
        let row = csv.iter().find(|row| row[1] == fingerprint).unwrap();
        assert!(row.contains(&"accepted".to_owned()));
        assert!(row.contains(&"Compensating control: quarterly access review".to_owned()));
        let sarif: serde_json::Value =
            serde_json::from_str(&run.render(bartizan::report::Format::Sarif, false)).unwrap();
        let results = sarif["runs"][0]["results"].as_array().unwrap();
        assert_eq!(
            results[0]["suppressions"][0]["justification"],
            "Compensating control: quarterly access review"
        );
        assert!(results[1..].iter().all(|r| r["suppressions"].is_null()));
    });
}

/// A question's pending findings — what its answer decides — show in every format.
#[test]
fn every_report_shows_what_answering_a_question_decides() {
    let source = std::fs::read_to_string(common::root().join(SHARED)).unwrap();
    with_run_of(SHARED, &source, |run| {
        assert!(!run.questions.is_empty(), "{SHARED} asks a question");
    });
    let parsed = parse_model(&source, Format::Yaml, &Limits::default());
    let model = parsed.valid_model().unwrap();
    let mut run = bartizan::report::CheckRun::new(
        model,
        SHARED.to_owned(),
        bartizan::report::content_hash(source.as_bytes()),
        parsed.locations(&source),
        None,
    );
    let pending = bartizan::risks::Pending {
        rule: "BTZ-CRD-002",
        title: "Pending title: revoked only by hand".to_owned(),
    };
    run.questions[0].pending = vec![pending.clone()];
    let question = run.questions[0].text.clone();

    let text = run.render(bartizan::report::Format::Text, false);
    assert!(
        text.contains(&format!("decides:  BTZ-CRD-002 {}\n", pending.title)),
        "{text}"
    );
    let markdown = run.render(bartizan::report::Format::Markdown, false);
    assert!(
        markdown.contains("The answer decides: BTZ-CRD-002 Pending title\\: revoked only by hand."),
        "{markdown}"
    );
    let csv = csv_rows(&run.render(bartizan::report::Format::Csv, false));
    let row = csv.iter().find(|row| row[0] == "question").unwrap();
    assert_eq!(row[6], question);
    assert_eq!(
        row.last().unwrap(),
        &format!("BTZ-CRD-002 {}", pending.title)
    );
    let sarif: serde_json::Value =
        serde_json::from_str(&run.render(bartizan::report::Format::Sarif, false)).unwrap();
    let result = &sarif["runs"][0]["results"][run.risks.len()];
    assert_eq!(result["ruleId"], "BTZ-QUESTION");
    assert!(
        result["message"]["text"]
            .as_str()
            .unwrap()
            .contains(&format!(
                "The answer decides: BTZ-CRD-002 {}.",
                pending.title
            ))
    );
    assert_eq!(result["properties"]["pending"][0]["rule"], "BTZ-CRD-002");
}

/// Why a risk is critical shows in every format, and the totals follow the risk's severity.
#[test]
fn every_report_says_why_a_risk_is_critical() {
    let source = std::fs::read_to_string(common::root().join(SHARED)).unwrap();
    let parsed = parse_model(&source, Format::Yaml, &Limits::default());
    let model = parsed.valid_model().unwrap();
    let mut run = bartizan::report::CheckRun::new(
        model,
        SHARED.to_owned(),
        bartizan::report::content_hash(source.as_bytes()),
        parsed.locations(&source),
        None,
    );
    let why = "untrusted email reaches the payroll export through a standing token";
    run.risks[0].severity = bartizan::findings::Severity::Critical;
    run.risks[0].critical = Some(why.to_owned());

    let text = run.render(bartizan::report::Format::Text, false);
    assert!(text.starts_with("critical "), "{text}");
    assert!(text.contains(&format!("  | critical: {why}\n")), "{text}");
    assert!(
        text.lines().last().unwrap().contains("(1 critical, "),
        "{text}"
    );
    let markdown = run.render(bartizan::report::Format::Markdown, false);
    assert!(markdown.contains("| critical | 1 |\n"), "{markdown}");
    assert!(
        markdown.contains(&format!("**Why critical.** {why}\n")),
        "{markdown}"
    );
    let sarif: serde_json::Value =
        serde_json::from_str(&run.render(bartizan::report::Format::Sarif, false)).unwrap();
    let result = &sarif["runs"][0]["results"][0];
    assert_eq!(result["properties"]["critical"], why);
    assert_eq!(result["properties"]["security-severity"], "9.5");
    let csv = csv_rows(&run.render(bartizan::report::Format::Csv, false));
    assert_eq!(csv[1][2], "critical");
}

/// Model text may hold control characters (written as escapes in a quoted string); the
/// terminal report shows them as escapes, so a model cannot drive the reviewer's terminal.
#[test]
fn the_text_report_never_sends_model_control_characters_to_the_terminal() {
    let place = with_run(SHARED, |run| run.risks[0].place.clone());
    let fingerprint = with_run(SHARED, |run| run.risks[0].fingerprint.clone());
    let mut model = load(SHARED);
    for node in &mut model.nodes {
        if node.id == place {
            node.name = "Token \u{1b}[2J\u{1b}]0;owned\u{7}".to_owned();
        }
    }
    model.triage = vec![bartizan::model::TriageDecision {
        fingerprint,
        rule: None,
        status: bartizan::model::TriageStatus::Accepted,
        justification: Some("ok\u{1b}[31m".into()),
        by: None,
        at: None,
    }];
    with_run_of(SHARED, &to_yaml(&model), |run| {
        for color in [false, true] {
            let text = run.render(bartizan::report::Format::Text, color);
            let model_escapes = text.matches("\u{1b}[2J").count() + text.matches('\u{7}').count();
            assert_eq!(model_escapes, 0, "{text}");
            assert!(
                text.contains("Token \\u{1b}[2J\\u{1b}]0;owned\\u{7}"),
                "{text}"
            );
            assert!(text.contains("[accepted: ok\\u{1b}[31m]"), "{text}");
        }
        let plain = run.render(bartizan::report::Format::Text, false);
        assert!(!plain.contains('\u{1b}'), "{plain}");
    });
}

/// The terminal report of every example, pinned by snapshot (`tests/snapshots/text@*.snap`) so
/// a change to what a reviewer reads shows in review. Regenerate with
/// `INSTA_UPDATE=always cargo test --test check`, then read the changed snapshots.
#[test]
fn the_text_report_of_every_example_matches_its_snapshot() {
    for model in common::example_models() {
        let path = common::relative(&model);
        let output = bartizan(&["check", "--fail-on", "none", &path]);
        assert_eq!(output.status.code(), Some(0), "{path}");
        let name = model
            .file_name()
            .unwrap()
            .to_string_lossy()
            .replace(".bartizan.yaml", "");
        insta::with_settings!({ snapshot_suffix => name, prepend_module_to_snapshot => false }, {
            insta::assert_snapshot!("text", stdout(&output));
        });
    }
}

/// docs/reports.md lists the CSV header as the report writes it and every SARIF rule that is
/// not a check.
#[test]
fn the_reports_doc_matches_the_csv_header_and_the_sarif_rules() {
    let doc = std::fs::read_to_string(common::root().join("docs/reports.md")).unwrap();
    let csv = with_run(SHARED, |run| {
        run.render(bartizan::report::Format::Csv, false)
    });
    let header = csv.split("\r\n").next().unwrap();
    assert!(
        doc.contains(&format!("```\n{header}\n```")),
        "docs/reports.md does not show the CSV header `{header}`"
    );
    for column in header.split(',') {
        assert!(
            doc.contains(&format!("| `{column}` |")),
            "docs/reports.md does not describe the CSV column `{column}`"
        );
    }
    for kind in bartizan::risks::RiskKind::ALL {
        assert!(doc.contains(kind.code()), "{}", kind.code());
        let name = serde_json::to_value(kind).unwrap();
        assert!(
            doc.contains(&format!("`{}`", name.as_str().unwrap())),
            "{name}"
        );
    }
    assert!(doc.contains("`BTZ-QUESTION`"));
}

#[test]
fn out_writes_the_report_to_a_file_without_colour() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("report.sarif");
    let output = bartizan(&[
        "check",
        "--format",
        "sarif",
        "--fail-on",
        "none",
        "--out",
        out.to_str().unwrap(),
        SHARED,
    ]);
    assert_eq!(output.status.code(), Some(0));
    assert!(output.stdout.is_empty());
    let written = std::fs::read_to_string(&out).unwrap();
    assert!(!written.contains('\u{1b}'));
    serde_json::from_str::<serde_json::Value>(&written).unwrap();
}

#[test]
fn triage_marks_risks_and_reports_stale_decisions() {
    let report = json_report(&["check", "--format", "json", "--fail-on", "none", SHARED]);
    let risks = report["risks"].as_array().unwrap();
    let mut model = load(SHARED);
    for risk in risks {
        model.triage.push(bartizan::model::TriageDecision {
            fingerprint: risk["fingerprint"].as_str().unwrap().to_owned(),
            rule: None,
            status: bartizan::model::TriageStatus::Accepted,
            justification: Some("Compensating control: quarterly access review".into()),
            by: Some("risk-board".into()),
            at: Some("2026-11-20".into()),
        });
    }
    // A decision about a finding, as recorded before risks: about no risk now.
    model.triage.push(bartizan::model::TriageDecision {
        fingerprint: "BTZ-IDN-001:0000000000000000".into(),
        rule: Some("BTZ-IDN-001".into()),
        status: bartizan::model::TriageStatus::FalsePositive,
        justification: Some("Removed in the redesign".into()),
        by: None,
        at: None,
    });
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("triaged.bartizan.yaml");
    std::fs::write(&path, to_yaml(&model)).unwrap();
    let file = path.to_str().unwrap();

    let triaged = json_report(&["check", "--format", "json", "--fail-on", "none", file]);
    for risk in triaged["risks"].as_array().unwrap() {
        assert_eq!(risk["status"], "accepted");
        assert_eq!(
            risk["triage"]["justification"],
            "Compensating control: quarterly access review"
        );
        assert_eq!(risk["triage"]["by"], "risk-board");
    }
    assert_eq!(triaged["summary"]["actionable"], 0);
    assert_eq!(triaged["summary"]["by_status"]["accepted"], risks.len());
    assert_eq!(triaged["stale_triage"].as_array().unwrap().len(), 1);
    assert_eq!(
        triaged["stale_triage"][0]["fingerprint"],
        "BTZ-IDN-001:0000000000000000"
    );
    // Accepted risks do not fail the run.
    assert_eq!(
        bartizan(&["check", "--fail-on", "info", file])
            .status
            .code(),
        Some(0)
    );
    let text = stdout(&bartizan(&["check", file]));
    assert!(
        text.contains("[accepted: Compensating control: quarterly access review]"),
        "{text}"
    );
    assert!(text.contains("stale triage"), "{text}");
}

#[test]
fn fail_on_sets_the_exit_code() {
    let report = json_report(&["check", "--format", "json", "--fail-on", "none", SHARED]);
    let highest = report["risks"][0]["severity"].as_str().unwrap().to_owned();
    assert_eq!(
        bartizan(&["check", "--fail-on", &highest, SHARED])
            .status
            .code(),
        Some(1)
    );
    assert_eq!(
        bartizan(&["check", "--fail-on", "none", SHARED])
            .status
            .code(),
        Some(0)
    );
    if highest != "critical" {
        assert_eq!(
            bartizan(&["check", "--fail-on", "critical", SHARED])
                .status
                .code(),
            Some(0)
        );
    }
}

#[test]
fn a_baseline_lets_ci_fail_only_on_new_risks() {
    let dir = tempfile::tempdir().unwrap();
    let baseline = dir.path().join("baseline.json");
    let baseline_arg = baseline.to_str().unwrap();
    let written = bartizan(&[
        "check",
        "--fail-on",
        "none",
        "--write-baseline",
        baseline_arg,
        SHARED,
    ]);
    assert_eq!(written.status.code(), Some(0));
    let known =
        bartizan::findings::Baseline::from_json(&std::fs::read_to_string(&baseline).unwrap())
            .unwrap();
    let report = json_report(&["check", "--format", "json", "--fail-on", "none", SHARED]);
    let risks: std::collections::BTreeSet<String> = report["risks"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["fingerprint"].as_str().unwrap().to_owned())
        .collect();
    assert_eq!(known.fingerprints, risks, "the baseline lists the risks");
    assert_eq!(
        bartizan(&[
            "check",
            "--fail-on",
            "info",
            "--baseline",
            baseline_arg,
            SHARED
        ])
        .status
        .code(),
        Some(0)
    );

    // A new credential shared by the agent and the operator is a new risk: the run fails again.
    let mut model = load(SHARED);
    model.nodes.push(bartizan::model::Node {
        id: "payroll-export-key".into(),
        name: "Payroll export key".into(),
        description: None,
        properties: bartizan::model::NodeProperties::Secret(bartizan::model::SecretProperties {
            lifetime: Some(bartizan::model::Lifetime::Standing),
            ..Default::default()
        }),
    });
    for holder in ["hr-agent", "hr-operator"] {
        model.edges.push(bartizan::model::Edge::new(
            holder,
            bartizan::model::Relation::Holds,
            "payroll-export-key",
        ));
    }
    let changed = dir.path().join("changed.bartizan.yaml");
    std::fs::write(&changed, to_yaml(&model)).unwrap();
    let output = bartizan(&[
        "check",
        "--fail-on",
        "info",
        "--baseline",
        baseline_arg,
        "--format",
        "json",
        changed.to_str().unwrap(),
    ]);
    let report: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    let new: Vec<&serde_json::Value> = report["risks"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|r| r["baselined"].is_null())
        .collect();
    assert_eq!(new.len(), 1, "{new:#?}");
    assert_eq!(new[0]["place"], "payroll-export-key");
    assert_eq!(report["summary"]["actionable"], 1);
    assert_eq!(output.status.code(), Some(1));
}

#[test]
fn fingerprints_survive_renames_reordering_and_unrelated_edits() {
    let mut ids_renamed = 0;
    for path in common::example_models() {
        let path = common::relative(&path);
        let original = load(&path);
        let before = bartizan::rules::run(&ModelGraph::new(&original));

        let mut edited = original.clone();
        edited.nodes.reverse();
        edited.edges.reverse();
        edited.boundaries.reverse();
        // Rename (display name) every node, and add an unrelated node with an edge.
        for node in &mut edited.nodes {
            node.name = format!("{} (renamed)", node.name);
        }
        edited.nodes.push(bartizan::model::Node {
            id: "unrelated-human".into(),
            name: "Someone unrelated".into(),
            description: None,
            properties: bartizan::model::NodeProperties::default_for(
                bartizan::model::NodeKind::Human,
            ),
        });
        edited.nodes.push(bartizan::model::Node {
            id: "unrelated-store".into(),
            name: "Unrelated wiki".into(),
            description: None,
            properties: bartizan::model::NodeProperties::default_for(
                bartizan::model::NodeKind::Datastore,
            ),
        });
        edited.edges.push(bartizan::model::Edge::new(
            "unrelated-human",
            bartizan::model::Relation::Reads,
            "unrelated-store",
        ));
        // Rename the id of a node that no finding mentions, with the edges that refer to it.
        let mentioned: std::collections::HashSet<String> = before
            .iter()
            .flat_map(|f| {
                f.subjects
                    .iter()
                    .cloned()
                    .chain(f.path.iter().map(|s| s.node.clone()))
                    .chain(std::iter::once(f.place.clone()))
            })
            .collect();
        let renamed = edited
            .nodes
            .iter()
            .map(|n| n.id.clone())
            .find(|id| !mentioned.contains(id));
        if let Some(old_id) = renamed {
            ids_renamed += 1;
            let new_id = format!("{old_id}-renamed");
            for node in &mut edited.nodes {
                if node.id == old_id {
                    node.id = new_id.clone();
                }
            }
            for edge in &mut edited.edges {
                for end in [&mut edge.from, &mut edge.to] {
                    if *end == old_id {
                        *end = new_id.clone();
                    }
                }
                edge.id = bartizan::model::Edge::derived_id(&edge.from, edge.relation, &edge.to);
            }
            for boundary in &mut edited.boundaries {
                for member in &mut boundary.members {
                    if *member == old_id {
                        *member = new_id.clone();
                    }
                }
            }
        }
        let after = bartizan::rules::run(&ModelGraph::new(&edited));
        // Risks, and which facets each holds, are as stable as the findings.
        let risks = |model: &Model| {
            let mut set: Vec<(String, Vec<String>)> =
                bartizan::risks::assess(&ModelGraph::new(model))
                    .risks
                    .iter()
                    .map(|r| {
                        let mut facets: Vec<String> =
                            r.facets.iter().map(|f| f.fingerprint.clone()).collect();
                        facets.sort();
                        (r.fingerprint.clone(), facets)
                    })
                    .collect();
            set.sort();
            set
        };
        assert_eq!(
            risks(&original),
            risks(&edited),
            "{path}: risk fingerprints or facets changed"
        );

        let fingerprints = |findings: &[bartizan::findings::Finding]| {
            let mut set: Vec<(String, Vec<String>)> = findings
                .iter()
                .map(|f| {
                    (
                        f.fingerprint.clone(),
                        f.path_ids().iter().map(|s| s.to_string()).collect(),
                    )
                })
                .collect();
            set.sort();
            set
        };
        assert_eq!(
            fingerprints(&before),
            fingerprints(&after),
            "{path}: fingerprints or paths changed"
        );
        assert!(
            !before.is_empty() || path.contains("well-governed") || path.contains("shared-gateway"),
            "{path} has findings to compare"
        );
    }
    assert!(
        ids_renamed >= 3,
        "only {ids_renamed} examples had an unrelated node to rename"
    );
}

#[test]
fn reports_are_deterministic_across_runs() {
    let first = stdout(&bartizan(&[
        "check",
        "--format",
        "json",
        "--fail-on",
        "none",
        SHARED,
    ]));
    let second = stdout(&bartizan(&[
        "check",
        "--format",
        "json",
        "--fail-on",
        "none",
        SHARED,
    ]));
    assert_eq!(first, second);
}

#[test]
fn rules_lists_the_catalog_in_each_format() {
    let text = stdout(&bartizan(&["rules"]));
    for rule in bartizan::rules::ALL {
        assert!(
            text.contains(rule.id) && text.contains(rule.title),
            "{}",
            rule.id
        );
    }
    let json: serde_json::Value =
        serde_json::from_slice(&bartizan(&["rules", "--format", "json"]).stdout).unwrap();
    assert_eq!(
        json["rules"].as_array().unwrap().len(),
        bartizan::rules::ALL.len()
    );
    let md = stdout(&bartizan(&["rules", "--format", "md"]));
    assert!(md.starts_with("# Bartizan checks"));
}

/// docs/findings-json.md has a row for every field a report on the examples carries, at the
/// top level, in the summary, and in each risk, facet and question.
#[test]
fn the_json_reference_documents_every_field() {
    let doc = std::fs::read_to_string(common::root().join("docs/findings-json.md")).unwrap();
    let documented = |field: &str| {
        doc.contains(&format!("| `{field}` |")) || doc.contains(&format!("`{field}` ("))
    };
    let mut missing = std::collections::BTreeSet::new();
    let mut note = |object: &serde_json::Value, what: &str| {
        for key in object.as_object().unwrap().keys() {
            if !documented(key) {
                missing.insert(format!("{what}.{key}"));
            }
        }
    };
    for model in common::example_models() {
        let path = common::relative(&model);
        let report = json_report(&["check", "--format", "json", "--fail-on", "none", &path]);
        note(&report, "report");
        note(&report["summary"], "summary");
        for risk in report["risks"].as_array().unwrap() {
            note(risk, "risk");
            for facet in risk["facets"].as_array().unwrap() {
                note(facet, "facet");
            }
        }
        for question in report["questions"].as_array().unwrap() {
            note(question, "question");
        }
    }
    assert!(
        missing.is_empty(),
        "docs/findings-json.md does not document {missing:?}"
    );
}

/// A baseline written before risks lists finding fingerprints, which no risk has: it is
/// refused with how to write a new one, rather than failing CI on every risk as new.
#[test]
fn a_baseline_of_findings_is_refused_with_how_to_replace_it() {
    let dir = tempfile::tempdir().unwrap();
    let baseline = dir.path().join("baseline.json");
    std::fs::write(
        &baseline,
        r#"{"version": 1, "fingerprints": ["BTZ-IDN-001:666f264ed340d859"]}"#,
    )
    .unwrap();
    let output = bartizan(&["check", "--baseline", baseline.to_str().unwrap(), SHARED]);
    assert_eq!(output.status.code(), Some(3));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains("baseline version 1 lists findings"),
        "{stderr}"
    );
    assert!(stderr.contains("--write-baseline"), "{stderr}");
}
