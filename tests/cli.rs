//! The command line's contract: exit codes, output formats, and `fmt`.

mod common;

use common::{bartizan, stdout};

#[test]
fn validate_exits_0_on_valid_models_and_summarises_each() {
    let output = bartizan(&["validate", "models/customer-support.bartizan.yaml"]);
    assert_eq!(output.status.code(), Some(0));
    assert_eq!(
        stdout(&output),
        "models/customer-support.bartizan.yaml: valid (14 nodes, 15 edges, 5 boundaries)\n"
    );
}

#[test]
fn validate_exits_2_when_any_model_is_invalid() {
    let dir = tempfile::tempdir().unwrap();
    let broken = dir.path().join("broken.bartizan.yaml");
    std::fs::write(
        &broken,
        "bartizan: 1\nmetadata:\n  name: x\nnodes:\n  - id: a\n    kind: agent\n",
    )
    .unwrap();
    let output = bartizan(&[
        "validate",
        "models/customer-support.bartizan.yaml",
        broken.to_str().unwrap(),
    ]);
    assert_eq!(output.status.code(), Some(2));
    let text = stdout(&output);
    assert!(
        text.contains("error[missing-field]: missing required field `name`"),
        "{text}"
    );
    assert!(text.contains("broken.bartizan.yaml:5:9"), "{text}");
    assert!(
        text.contains("models/customer-support.bartizan.yaml: valid"),
        "{text}"
    );
}

#[test]
fn io_and_usage_errors_exit_3() {
    let missing = bartizan(&["validate", "models/no-such-file.bartizan.yaml"]);
    assert_eq!(missing.status.code(), Some(3));
    let stderr = String::from_utf8_lossy(&missing.stderr);
    assert!(
        stderr.contains("cannot read models/no-such-file.bartizan.yaml"),
        "{stderr}"
    );

    assert_eq!(bartizan(&["validate"]).status.code(), Some(3));
    assert_eq!(bartizan(&["frobnicate"]).status.code(), Some(3));
    assert_eq!(
        bartizan(&["validate", "--format", "xml", "x"])
            .status
            .code(),
        Some(3)
    );
}

#[test]
fn help_documents_the_exit_codes() {
    let output = bartizan(&["--help"]);
    assert_eq!(output.status.code(), Some(0));
    let text = stdout(&output);
    for line in [
        "0  clean",
        "1  check found open risks",
        "2  a model file is invalid",
        "3  usage error",
        "report    Write a model's PDF report",
    ] {
        assert!(text.contains(line), "{text}");
    }
}

#[test]
fn validate_json_is_a_versioned_report() {
    let output = bartizan(&[
        "validate",
        "--format",
        "json",
        "models/customer-support.bartizan.yaml",
    ]);
    let report: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(report["version"], 1);
    assert_eq!(report["files"][0]["valid"], true);
    assert_eq!(report["files"][0]["diagnostics"], serde_json::json!([]));
}

#[test]
fn check_refuses_an_invalid_model_with_exit_2() {
    let dir = tempfile::tempdir().unwrap();
    let broken = dir.path().join("broken.bartizan.yaml");
    std::fs::write(
        &broken,
        "bartizan: 1\nmetadata:\n  name: x\nedges:\n  - from: a\n    relation: invokes\n    to: b\n",
    )
    .unwrap();
    let output = bartizan(&["check", broken.to_str().unwrap()]);
    assert_eq!(output.status.code(), Some(2));
    // Diagnostics go to stderr, so that a machine format on stdout is never mixed with them.
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains("error[unknown-node]: no node has the id `a`"),
        "{stderr}"
    );
    assert!(output.stdout.is_empty());
}

#[test]
fn fmt_rewrites_to_canonical_form_and_check_reports_it() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("messy.bartizan.yaml");
    std::fs::write(
        &path,
        "nodes:\n- {name: Agent, kind: agent, id: a}\nmetadata: {name: Messy}\nbartizan: 1\n",
    )
    .unwrap();
    let file = path.to_str().unwrap();
    let check = bartizan(&["fmt", "--check", file]);
    assert_eq!(check.status.code(), Some(1));
    assert!(stdout(&check).contains("not in canonical form"));

    assert_eq!(bartizan(&["fmt", file]).status.code(), Some(0));
    assert_eq!(
        std::fs::read_to_string(&path).unwrap(),
        "bartizan: 1\nmetadata:\n  name: Messy\n\nnodes:\n  - id: a\n    kind: agent\n    name: Agent\n"
    );
    assert_eq!(bartizan(&["fmt", "--check", file]).status.code(), Some(0));
}

/// The JSON report of `check` on `path`.
fn check_json(path: &std::path::Path) -> serde_json::Value {
    let output = bartizan(&["check", "--format", "json", path.to_str().unwrap()]);
    serde_json::from_str(&stdout(&output)).unwrap()
}

#[test]
fn rename_carries_an_accepted_decision_and_rewrites_the_file() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("support.bartizan.yaml");
    let text =
        std::fs::read_to_string(common::root().join("models/customer-support.bartizan.yaml"))
            .unwrap();
    let parsed =
        bartizan::syntax::parse_model(&text, bartizan::syntax::Format::Yaml, &Default::default());
    let mut model = parsed.model.unwrap();
    let report = check_json(&common::root().join("models/customer-support.bartizan.yaml"));
    let about = report["risks"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["kind"] == "credential" && r["place"] == "billing-token")
        .unwrap();
    model.triage.push(bartizan::model::TriageDecision {
        fingerprint: about["fingerprint"].as_str().unwrap().to_owned(),
        rule: None,
        status: bartizan::model::TriageStatus::Accepted,
        justification: Some("Scoped to refunds under 50 EUR.".into()),
        by: Some("ana".into()),
        at: Some("2026-12-01".into()),
    });
    bartizan::store::write_model(&path, &model).unwrap();
    let file = path.to_str().unwrap();

    let output = bartizan(&["rename", "billing-token", "refund-key", file]);
    assert_eq!(output.status.code(), Some(0), "{}", stdout(&output));
    assert_eq!(
        stdout(&output),
        format!("{file}: renamed `billing-token` to `refund-key`, with its 1 triage decision\n")
    );
    let text = std::fs::read_to_string(&path).unwrap();
    assert!(!text.contains("billing-token"), "{text}");
    let report = check_json(&path);
    assert_eq!(report["stale_triage"], serde_json::json!([]));
    let after = report["risks"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["kind"] == "credential" && r["place"] == "refund-key")
        .unwrap();
    assert_ne!(after["fingerprint"], about["fingerprint"]);
    assert_eq!(after["status"], "accepted");
    assert_eq!(
        after["triage"]["justification"],
        "Scoped to refunds under 50 EUR."
    );

    let unknown = bartizan(&["rename", "billing-token", "x", file]);
    assert_eq!(unknown.status.code(), Some(3));
    assert!(
        String::from_utf8_lossy(&unknown.stderr)
            .contains("no node, edge or boundary has the id `billing-token`")
    );
    assert_eq!(std::fs::read_to_string(&path).unwrap(), text);
}

#[test]
fn rename_leaves_a_file_that_does_not_read_completely_alone() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("typo.bartizan.yaml");
    let text = "bartizan: 1\nmetadata:\n  name: x\nnodes:\n  - id: a\n    kind: agent\n    name: A\n  - id: t\n    kind: tool\n    name: T\nedges:\n  - from: a\n    relation: invokez\n    to: t\n";
    std::fs::write(&path, text).unwrap();
    let output = bartizan(&["rename", "a", "b", path.to_str().unwrap()]);
    assert_eq!(output.status.code(), Some(2));
    assert!(stdout(&output).contains("not renamed, the file does not read completely"));
    assert_eq!(std::fs::read_to_string(&path).unwrap(), text);
}

#[test]
fn fmt_converts_between_yaml_and_json_by_extension() {
    let dir = tempfile::tempdir().unwrap();
    let json = dir.path().join("support.bartizan.json");
    let model =
        std::fs::read_to_string(common::root().join("models/customer-support.bartizan.yaml"))
            .unwrap();
    let parsed =
        bartizan::syntax::parse_model(&model, bartizan::syntax::Format::Yaml, &Default::default());
    bartizan::store::write_model(&json, parsed.model.as_ref().unwrap()).unwrap();
    let output = bartizan(&["validate", json.to_str().unwrap()]);
    assert_eq!(output.status.code(), Some(0), "{}", stdout(&output));
    assert!(stdout(&output).ends_with("valid (14 nodes, 15 edges, 5 boundaries)\n"));
}

#[test]
fn report_writes_a_pdf_and_says_so() {
    let dir = tempfile::tempdir().unwrap();
    let pdf = dir.path().join("support.pdf");
    let output = bartizan(&[
        "report",
        "models/customer-support.bartizan.yaml",
        "--pdf",
        pdf.to_str().unwrap(),
    ]);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(0), "{stderr}");
    assert!(output.stdout.is_empty());
    let bytes = std::fs::read(&pdf).unwrap();
    assert!(bytes.starts_with(b"%PDF-"), "not a PDF");
    let model = bartizan::store::read_model(
        &common::root().join("models/customer-support.bartizan.yaml"),
        &Default::default(),
    )
    .unwrap()
    .parsed
    .model
    .unwrap();
    let assessment = bartizan::risks::assess(&bartizan::graph::ModelGraph::new(&model));
    assert_eq!(
        stderr.trim_end(),
        format!(
            "wrote {} (risks: {}, open questions: {})",
            pdf.display(),
            assessment.risks.len(),
            assessment.questions.len()
        )
    );
}

#[test]
fn report_refuses_an_invalid_model_with_exit_2_and_writes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let broken = dir.path().join("broken.bartizan.yaml");
    std::fs::write(
        &broken,
        "bartizan: 1\nmetadata:\n  name: x\nedges:\n  - from: a\n    relation: invokes\n    to: b\n",
    )
    .unwrap();
    let pdf = dir.path().join("report.pdf");
    let output = bartizan(&[
        "report",
        broken.to_str().unwrap(),
        "--pdf",
        pdf.to_str().unwrap(),
    ]);
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains("error[unknown-node]: no node has the id `a`"),
        "{stderr}"
    );
    assert!(!pdf.exists());
    assert_eq!(
        std::fs::read_dir(dir.path()).unwrap().count(),
        1,
        "only the model is left in the directory"
    );
}

#[test]
fn report_usage_and_io_errors_exit_3() {
    // --pdf is required.
    let output = bartizan(&["report", "models/customer-support.bartizan.yaml"]);
    assert_eq!(output.status.code(), Some(3));
    let missing = bartizan(&[
        "report",
        "models/no-such-file.bartizan.yaml",
        "--pdf",
        "unused.pdf",
    ]);
    assert_eq!(missing.status.code(), Some(3));
    assert!(!common::root().join("unused.pdf").exists());

    let dir = tempfile::tempdir().unwrap();
    let unwritable = dir.path().join("no-such-directory").join("report.pdf");
    let output = bartizan(&[
        "report",
        "models/customer-support.bartizan.yaml",
        "--pdf",
        unwritable.to_str().unwrap(),
    ]);
    assert_eq!(output.status.code(), Some(3));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("cannot write"), "{stderr}");
}

#[test]
fn report_takes_a_baseline() {
    let dir = tempfile::tempdir().unwrap();
    let baseline = dir.path().join("baseline.json");
    let pdf = dir.path().join("report.pdf");
    let model = "models/finance-ops.bartizan.yaml";
    let written = bartizan(&[
        "check",
        model,
        "--fail-on",
        "none",
        "--write-baseline",
        baseline.to_str().unwrap(),
    ]);
    assert_eq!(written.status.code(), Some(0));
    let output = bartizan(&[
        "report",
        model,
        "--baseline",
        baseline.to_str().unwrap(),
        "--pdf",
        pdf.to_str().unwrap(),
    ]);
    assert_eq!(output.status.code(), Some(0));
    assert!(std::fs::read(&pdf).unwrap().starts_with(b"%PDF-"));

    std::fs::write(&baseline, "not json").unwrap();
    std::fs::remove_file(&pdf).unwrap();
    let output = bartizan(&[
        "report",
        model,
        "--baseline",
        baseline.to_str().unwrap(),
        "--pdf",
        pdf.to_str().unwrap(),
    ]);
    assert_eq!(output.status.code(), Some(3));
    assert!(
        String::from_utf8_lossy(&output.stderr).contains("cannot read the baseline"),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    assert!(!pdf.exists());
}

#[test]
fn markdown_shows_hostile_model_text_as_text() {
    let source = std::fs::read_to_string(common::root().join("models/finance-ops.bartizan.yaml"))
        .unwrap()
        .replace(
            "name: Accounts payable agent",
            r#"name: "<script>alert(1)</script> [click](javascript:alert(1)) ![x](javascript:y) www.example.com a@b.example | pipe""#,
        )
        .replace(
            "revision:",
            "revision: \"# not a heading <b>bold</b>\"\n  former_revision:",
        )
        .replace(
            "name: AP agent\n",
            "name: \"<img src=x> [agent](javascript:x) `tick` *AP* agent\"\n",
        )
        .lines()
        .filter(|line| !line.trim_start().starts_with("former"))
        .collect::<Vec<_>>()
        .join("\n");
    // The example's own decisions are replaced by one on its first risk, with hostile text.
    let first_risk = {
        let parsed = bartizan::syntax::parse_model(
            &source,
            bartizan::syntax::Format::Yaml,
            &Default::default(),
        );
        let model = parsed.valid_model().unwrap();
        let graph = bartizan::graph::ModelGraph::new(model);
        bartizan::risks::assess(&graph).risks[0].fingerprint.clone()
    };
    let source = format!(
        "{}\ntriage:\n  - fingerprint: {first_risk}\n    status: accepted\n    justification: {}\n    by: {}\n",
        &source[..source.find("\ntriage:").unwrap_or(source.len())],
        r#""`code` <iframe src=javascript:alert(1)> [a](javascript:x) ``` `` *em* _u_""#,
        r#""<img src=x onerror=alert(1)> [me](http://evil.example)""#,
    );
    let dir = tempfile::tempdir().unwrap();
    let model = dir.path().join("hostile.bartizan.yaml");
    std::fs::write(&model, source).unwrap();
    let output = bartizan(&[
        "check",
        model.to_str().unwrap(),
        "--format",
        "md",
        "--fail-on",
        "none",
    ]);
    assert_eq!(
        output.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let markdown = stdout(&output);
    assert!(!markdown.contains('<'), "raw HTML: {markdown}");
    assert!(!markdown.contains("]("), "a link: {markdown}");
    assert!(!markdown.contains("www.example"), "an autolink: {markdown}");
    for (index, _) in markdown.match_indices('[') {
        assert_eq!(
            &markdown[index - 1..index],
            "\\",
            "an unescaped `[`: {markdown}"
        );
    }
    for line in markdown.lines() {
        assert!(
            !line.starts_with('#')
                || line.starts_with("# Bartizan risks: ")
                || line.starts_with("## ")
                || line.starts_with("### "),
            "a heading from model text: {line}"
        );
    }
    for shown in [
        "# Bartizan risks: &lt;script&gt;alert\\(1\\)&lt;/script&gt; \\[click\\]\\(javascript\\:alert\\(1\\)\\)",
        "(revision \\# not a heading &lt;b&gt;bold&lt;/b&gt;)",
        "`code` &lt;iframe src\\=javascript\\:alert\\(1\\)&gt;",
        "(&lt;img src\\=x onerror\\=alert\\(1\\)&gt; \\[me\\]\\(http\\://evil.example\\)",
        "www\\.example.com a\\@b.example \\| pipe",
        "&lt;img src\\=x&gt; \\[agent\\]\\(javascript\\:x\\) `tick` \\*AP\\* agent",
    ] {
        assert!(markdown.contains(shown), "`{shown}` is not in {markdown}");
    }
}
