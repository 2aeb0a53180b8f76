//! The evaluation corpus: published, worked threat models of agent systems written by others,
//! each encoded in the model format (`tests/corpus/<source>/model.bartizan.yaml`) with the
//! source's own threat list as data (`threats.yaml`). This fails when a model stops
//! validating, when a threat the format can express is no longer reported, when a risk appears
//! that is neither a listed threat nor a judged extra, and when `docs/evaluation.md` is stale
//! (`BARTIZAN_BLESS=1 cargo test --test corpus` rewrites it). The page states whether each of
//! the acceptance targets is met; a change in that shows in its diff.
//!
//! A threat's `reported_by` names the checks that should report it as a risk (a facet of the
//! risk, at or through the node `at` when given); `asked_by` the checks that should ask the
//! question deciding it, for a threat whose deciding fact the source leaves open; `missed` a
//! threat the model can state but no check reports; `not_expressible` one that needs facts the
//! format cannot state. A check not yet in the catalogue leaves its threat pending: counted
//! apart, never as reported; so does `awaits`, which names a change to existing checks the
//! threat waits on, and fails once the threat is reported, so that it is removed.

mod common;

use std::collections::BTreeSet;
use std::fmt::Write as _;
use std::path::Path;

use bartizan::analysis::analyze_document;
use bartizan::rules::ALL;
use bartizan::syntax::Format;
use serde_json::Value;
use yaml_rust2::{Yaml, YamlLoader};

/// The acceptance targets for the corpus, asserted by `the_corpus_meets_its_coverage_targets`
/// and reported on the evaluation page. A model states only what its source states: when a
/// change to the checks misses a target, the checks change, not the models.
const MIN_SOURCES: usize = 8;
const MIN_REPORTED_SHARE_OVERALL: f64 = 0.90;
const MIN_REPORTED_SHARE_PER_SOURCE: f64 = 0.75;
const MIN_EXPRESSIBLE_SHARE: f64 = 0.60;
const MAX_EXTRA_RISKS_PER_TEN_NODES: f64 = 3.0;

const EVALUATION_PAGE: &str = "docs/evaluation.md";

struct Citation {
    title: String,
    publisher: String,
    version: String,
    date: String,
    section: String,
    address: String,
}

/// What the corpus says about one threat of a source.
enum Claim {
    ReportedBy {
        rules: Vec<String>,
        at: Option<String>,
        /// A change to existing checks the threat waits on.
        awaits: Option<String>,
    },
    AskedBy {
        rules: Vec<String>,
        at: Option<String>,
    },
    Missed(String),
    NotExpressible {
        reason: String,
        needs: Need,
    },
}

/// Why a threat cannot be expressed: what kind of fact it rests on.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Need {
    /// A fact the format has no word for; the reason names it.
    Vocabulary,
    /// What a model does (hallucination, non-determinism, misalignment, emergent behaviour).
    ModelBehaviour,
    /// A bug in code: a framework, an engine, a schema, a runtime's isolation.
    ImplementationFlaw,
    /// Something outside the system the source describes (a blockchain, a third party's code).
    OutsideTheSystem,
    /// A part the source names only as a possibility; drawing it would state more than it does.
    HypotheticalPart,
}

impl Need {
    const ALL: [Need; 5] = [
        Need::Vocabulary,
        Need::ModelBehaviour,
        Need::ImplementationFlaw,
        Need::OutsideTheSystem,
        Need::HypotheticalPart,
    ];

    fn word(self) -> &'static str {
        match self {
            Need::Vocabulary => "vocabulary",
            Need::ModelBehaviour => "model_behaviour",
            Need::ImplementationFlaw => "implementation_flaw",
            Need::OutsideTheSystem => "outside_the_system",
            Need::HypotheticalPart => "hypothetical_part",
        }
    }

    fn meaning(self) -> &'static str {
        match self {
            Need::Vocabulary => {
                "a fact of the design the format has no word for (named in each reason below)"
            }
            Need::ModelBehaviour => {
                "what a model does: hallucination, non-determinism, misalignment, emergent behaviour"
            }
            Need::ImplementationFlaw => {
                "a bug in code: a framework, an engine, a schema, a runtime's isolation"
            }
            Need::OutsideTheSystem => "something outside the system the source describes",
            Need::HypotheticalPart => {
                "a part the source names only as a possibility; drawing it would state more than the source does"
            }
        }
    }
}

struct Threat {
    id: String,
    title: String,
    claim: Claim,
}

/// A risk Bartizan reports that matches no listed threat, with a reviewer's verdict.
struct Extra {
    rule: String,
    at: String,
    kept: bool,
    reason: String,
}

struct Source {
    slug: String,
    citation: Citation,
    threats: Vec<Threat>,
    extras: Vec<Extra>,
    /// The JSON report of `docs/findings-json.md`.
    report: Value,
}

/// What the checks did about one threat.
enum Outcome {
    Reported {
        rule: String,
        place: String,
    },
    Asked {
        rule: String,
        element: String,
    },
    /// Every check that should report it is still missing from the catalogue.
    Pending(Vec<String>),
    /// It waits on the stated change to existing checks.
    Awaits(String),
    NotReported,
    Missed(String),
    NotExpressible {
        reason: String,
        needs: Need,
    },
}

fn text(yaml: &Yaml, field: &str, context: &str) -> String {
    match &yaml[field] {
        Yaml::String(s) => s.clone(),
        Yaml::Integer(n) => n.to_string(),
        Yaml::Real(r) => r.clone(),
        other => panic!("{context}: `{field}` must be text, found {other:?}"),
    }
}

fn optional_text(yaml: &Yaml, field: &str) -> Option<String> {
    yaml[field].as_str().map(str::to_owned)
}

fn words(yaml: &Yaml, field: &str, context: &str) -> Vec<String> {
    let list = yaml[field]
        .as_vec()
        .unwrap_or_else(|| panic!("{context}: `{field}` must be a list"));
    assert!(!list.is_empty(), "{context}: `{field}` is empty");
    list.iter()
        .map(|w| {
            w.as_str()
                .unwrap_or_else(|| panic!("{context}: `{field}` holds a non-word"))
                .to_owned()
        })
        .collect()
}

/// Refuses fields a mapping does not have, so that a misspelt claim is not silently dropped.
fn only_fields(yaml: &Yaml, fields: &[&str], context: &str) {
    let mapping = yaml
        .as_hash()
        .unwrap_or_else(|| panic!("{context}: expected a mapping"));
    for key in mapping.keys() {
        let key = key.as_str().unwrap_or_default();
        assert!(
            fields.contains(&key),
            "{context}: unknown field `{key}` (expected one of {fields:?})"
        );
    }
}

fn read_threat(yaml: &Yaml, context: &str) -> Threat {
    let id = text(yaml, "id", context);
    let context = format!("{context} threat {id}");
    only_fields(
        yaml,
        &[
            "id",
            "title",
            "reported_by",
            "asked_by",
            "missed",
            "not_expressible",
            "needs",
            "at",
            "awaits",
        ],
        &context,
    );
    let at = optional_text(yaml, "at");
    let claims = ["reported_by", "asked_by", "missed", "not_expressible"]
        .iter()
        .filter(|field| !yaml[**field].is_badvalue())
        .count();
    assert_eq!(
        claims, 1,
        "{context}: give exactly one of reported_by, asked_by, missed, not_expressible"
    );
    let awaits = optional_text(yaml, "awaits");
    let claim = if !yaml["reported_by"].is_badvalue() {
        Claim::ReportedBy {
            rules: words(yaml, "reported_by", &context),
            at,
            awaits,
        }
    } else if !yaml["asked_by"].is_badvalue() {
        Claim::AskedBy {
            rules: words(yaml, "asked_by", &context),
            at,
        }
    } else {
        assert!(
            at.is_none() && awaits.is_none(),
            "{context}: `at` and `awaits` belong to reported_by"
        );
        if !yaml["missed"].is_badvalue() {
            assert!(
                yaml["needs"].is_badvalue(),
                "{context}: `needs` belongs to not_expressible"
            );
            Claim::Missed(text(yaml, "missed", &context))
        } else {
            let word = text(yaml, "needs", &context);
            let needs = Need::ALL
                .into_iter()
                .find(|need| need.word() == word)
                .unwrap_or_else(|| {
                    let words: Vec<&str> = Need::ALL.iter().map(|n| n.word()).collect();
                    panic!("{context}: `needs` is one of {words:?}, not {word}")
                });
            Claim::NotExpressible {
                reason: text(yaml, "not_expressible", &context),
                needs,
            }
        }
    };
    Threat {
        title: text(yaml, "title", &context),
        id,
        claim,
    }
}

fn read_extra(yaml: &Yaml, context: &str) -> Extra {
    only_fields(yaml, &["rule", "at", "verdict", "reason"], context);
    let verdict = text(yaml, "verdict", context);
    assert!(
        verdict == "kept" || verdict == "noise",
        "{context}: verdict is kept or noise, not {verdict}"
    );
    let reason = text(yaml, "reason", context);
    assert!(
        !reason.trim().is_empty(),
        "{context}: every verdict says why"
    );
    Extra {
        rule: text(yaml, "rule", context),
        at: text(yaml, "at", context),
        kept: verdict == "kept",
        reason,
    }
}

fn read_source(dir: &Path) -> Source {
    let slug = dir.file_name().unwrap().to_string_lossy().into_owned();
    let threats_text = std::fs::read_to_string(dir.join("threats.yaml"))
        .unwrap_or_else(|e| panic!("{slug}/threats.yaml: {e}"));
    let docs = YamlLoader::load_from_str(&threats_text)
        .unwrap_or_else(|e| panic!("{slug}/threats.yaml: {e}"));
    let doc = &docs[0];
    only_fields(doc, &["source", "threats", "extra"], &slug);
    let source = &doc["source"];
    only_fields(
        source,
        &[
            "title",
            "publisher",
            "version",
            "date",
            "section",
            "address",
        ],
        &slug,
    );
    let citation = Citation {
        title: text(source, "title", &slug),
        publisher: text(source, "publisher", &slug),
        version: text(source, "version", &slug),
        date: text(source, "date", &slug),
        section: text(source, "section", &slug),
        address: text(source, "address", &slug),
    };
    let threats: Vec<Threat> = doc["threats"]
        .as_vec()
        .unwrap_or_else(|| panic!("{slug}: `threats` must be a list"))
        .iter()
        .map(|t| read_threat(t, &slug))
        .collect();
    let ids: BTreeSet<&str> = threats.iter().map(|t| t.id.as_str()).collect();
    assert_eq!(
        ids.len(),
        threats.len(),
        "{slug}: a threat id is listed twice"
    );
    let extras = doc["extra"]
        .as_vec()
        .unwrap_or_else(|| panic!("{slug}: `extra` must be a list (empty when none)"))
        .iter()
        .map(|e| read_extra(e, &slug))
        .collect();

    let model_path = format!("tests/corpus/{slug}/model.bartizan.yaml");
    let model_text = std::fs::read_to_string(dir.join("model.bartizan.yaml"))
        .unwrap_or_else(|e| panic!("{model_path}: {e}"));
    let analysis = analyze_document(&model_text, Format::Yaml, &model_path);
    let errors: Vec<&Value> = analysis["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|d| d["severity"] == "error")
        .collect();
    assert!(errors.is_empty(), "{model_path} is invalid: {errors:#?}");
    Source {
        slug,
        citation,
        threats,
        extras,
        report: analysis["report"].clone(),
    }
}

fn corpus() -> Vec<Source> {
    let mut dirs: Vec<_> = std::fs::read_dir(common::root().join("tests/corpus"))
        .expect("tests/corpus exists")
        .map(|entry| entry.unwrap().path())
        .filter(|path| path.is_dir())
        .collect();
    dirs.sort();
    dirs.iter().map(|dir| read_source(dir)).collect()
}

fn in_catalogue(rule: &str) -> bool {
    ALL.iter().any(|r| r.id == rule)
}

fn facet_rules(risk: &Value) -> impl Iterator<Item = &str> {
    risk["facets"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["rule"].as_str().unwrap())
}

/// Whether the risk is at `node`, is about it, or passes through it.
fn risk_touches(risk: &Value, node: &str) -> bool {
    let on_path = |path: &Value| path.as_array().unwrap().iter().any(|s| s["node"] == node);
    risk["place"] == node
        || risk["paths"].as_array().unwrap().iter().any(on_path)
        || risk["facets"].as_array().unwrap().iter().any(|f| {
            on_path(&f["path"]) || f["subjects"].as_array().unwrap().iter().any(|s| s == node)
        })
}

/// The first of `rules` that reports the risk (at or through `at`), if any does.
fn reporting_rule<'a>(risk: &Value, rules: &'a [String], at: Option<&str>) -> Option<&'a str> {
    let rule = rules
        .iter()
        .find(|rule| facet_rules(risk).any(|r| r == rule.as_str()))?;
    at.is_none_or(|node| risk_touches(risk, node))
        .then_some(rule.as_str())
}

fn risks(report: &Value) -> &[Value] {
    report["risks"].as_array().unwrap()
}

fn node_count(report: &Value) -> u64 {
    report["model"]["nodes"].as_u64().unwrap()
}

fn outcome(threat: &Threat, report: &Value) -> Outcome {
    let (rules, at, may_be_asked, awaits) = match &threat.claim {
        Claim::ReportedBy { rules, at, awaits } => (rules, at.as_deref(), false, awaits),
        Claim::AskedBy { rules, at } => (rules, at.as_deref(), true, &None),
        Claim::Missed(reason) => return Outcome::Missed(reason.clone()),
        Claim::NotExpressible { reason, needs } => {
            return Outcome::NotExpressible {
                reason: reason.clone(),
                needs: *needs,
            };
        }
    };
    // A risk at the node the threat is about reads best; one passing through it will do.
    let at_the_node = |risk: &&Value| at.is_some_and(|node| risk["place"] == node);
    let (here, elsewhere): (Vec<&Value>, Vec<&Value>) = risks(report).iter().partition(at_the_node);
    for risk in here.into_iter().chain(elsewhere) {
        if let Some(rule) = reporting_rule(risk, rules, at) {
            return Outcome::Reported {
                rule: rule.to_owned(),
                place: risk["place"].as_str().unwrap().to_owned(),
            };
        }
    }
    if may_be_asked {
        for question in report["questions"].as_array().unwrap() {
            let element = question["element"].as_str().unwrap();
            let rule = rules.iter().find(|rule| {
                question["rules"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .any(|r| r == rule.as_str())
            });
            if let Some(rule) = rule
                && at.is_none_or(|node| node == element)
            {
                return Outcome::Asked {
                    rule: rule.clone(),
                    element: element.to_owned(),
                };
            }
        }
    }
    let pending: Vec<String> = rules.iter().filter(|r| !in_catalogue(r)).cloned().collect();
    if let Some(change) = awaits {
        Outcome::Awaits(change.clone())
    } else if pending.is_empty() {
        Outcome::NotReported
    } else {
        Outcome::Pending(pending)
    }
}

/// Whether a listed threat accounts for the risk.
fn listed(risk: &Value, threats: &[Threat]) -> bool {
    threats.iter().any(|threat| match &threat.claim {
        Claim::ReportedBy { rules, at, .. } | Claim::AskedBy { rules, at } => {
            reporting_rule(risk, rules, at.as_deref()).is_some()
        }
        Claim::Missed(_) | Claim::NotExpressible { .. } => false,
    })
}

fn judged<'a>(risk: &Value, extras: &'a [Extra]) -> Option<&'a Extra> {
    extras.iter().find(|extra| {
        risk["place"] == extra.at.as_str() && facet_rules(risk).any(|r| r == extra.rule)
    })
}

/// The risks no listed threat accounts for.
fn extra_risks(source: &Source) -> Vec<&Value> {
    risks(&source.report)
        .iter()
        .filter(|risk| !listed(risk, &source.threats))
        .collect()
}

#[derive(Default, Clone, Copy)]
struct Tally {
    nodes: u64,
    listed: usize,
    expressible: usize,
    reported: usize,
    asked: usize,
    pending: usize,
    missed: usize,
    extra_kept: usize,
    extra_noise: usize,
}

impl Tally {
    fn of(source: &Source) -> Tally {
        let mut tally = Tally {
            nodes: node_count(&source.report),
            listed: source.threats.len(),
            ..Tally::default()
        };
        for threat in &source.threats {
            match outcome(threat, &source.report) {
                Outcome::Reported { .. } => tally.reported += 1,
                Outcome::Asked { .. } => {
                    tally.reported += 1;
                    tally.asked += 1;
                }
                Outcome::Pending(_) | Outcome::Awaits(_) => tally.pending += 1,
                Outcome::NotReported => {}
                Outcome::Missed(_) => tally.missed += 1,
                Outcome::NotExpressible { .. } => continue,
            }
            tally.expressible += 1;
        }
        for risk in extra_risks(source) {
            match judged(risk, &source.extras) {
                Some(extra) if extra.kept => tally.extra_kept += 1,
                _ => tally.extra_noise += 1,
            }
        }
        tally
    }

    fn add(self, other: Tally) -> Tally {
        Tally {
            nodes: self.nodes + other.nodes,
            listed: self.listed + other.listed,
            expressible: self.expressible + other.expressible,
            reported: self.reported + other.reported,
            asked: self.asked + other.asked,
            pending: self.pending + other.pending,
            missed: self.missed + other.missed,
            extra_kept: self.extra_kept + other.extra_kept,
            extra_noise: self.extra_noise + other.extra_noise,
        }
    }

    /// Reported (as a risk or a question) among the expressible threats whose checks exist;
    /// none when no such threat is left.
    fn reported_share(self) -> Option<f64> {
        let assessable = self.expressible - self.pending;
        (assessable > 0).then(|| self.reported as f64 / assessable as f64)
    }

    fn reported_share_at_least(self, target: f64) -> bool {
        self.reported_share().is_none_or(|s| s >= target)
    }

    fn expressible_share(self) -> f64 {
        self.expressible as f64 / self.listed as f64
    }

    fn extras_per_ten_nodes(self) -> f64 {
        (self.extra_kept + self.extra_noise) as f64 * 10.0 / self.nodes as f64
    }
}

fn percent(value: f64) -> String {
    format!("{:.0} %", value * 100.0)
}

#[test]
fn the_corpus_meets_its_coverage_targets() {
    let sources = corpus();
    let mut total = Tally::default();
    for source in &sources {
        let tally = Tally::of(source);
        assert!(
            tally.reported_share_at_least(MIN_REPORTED_SHARE_PER_SOURCE),
            "{}: {:?} of its expressible threats are reported; at least {}",
            source.slug,
            tally.reported_share().map(percent),
            percent(MIN_REPORTED_SHARE_PER_SOURCE)
        );
        total = total.add(tally);
    }
    assert!(
        total.reported_share_at_least(MIN_REPORTED_SHARE_OVERALL),
        "{:?} of the expressible threats are reported; at least {}",
        total.reported_share().map(percent),
        percent(MIN_REPORTED_SHARE_OVERALL)
    );
    assert!(
        total.expressible_share() >= MIN_EXPRESSIBLE_SHARE,
        "{} of the listed threats are expressible; at least {}",
        percent(total.expressible_share()),
        percent(MIN_EXPRESSIBLE_SHARE)
    );
    assert!(
        total.extras_per_ten_nodes() <= MAX_EXTRA_RISKS_PER_TEN_NODES,
        "{:.1} extra risks per 10 nodes; at most {MAX_EXTRA_RISKS_PER_TEN_NODES}",
        total.extras_per_ten_nodes()
    );
}

#[test]
fn the_corpus_holds_enough_sources_and_every_model_is_valid() {
    let sources = corpus();
    assert!(
        sources.len() >= MIN_SOURCES,
        "the corpus holds {} sources; at least {MIN_SOURCES}",
        sources.len()
    );
    for source in &sources {
        assert!(
            source.report.is_object(),
            "{}: the model was not checked",
            source.slug
        );
    }
}

#[test]
fn every_expressible_threat_is_still_reported() {
    let mut lost = Vec::new();
    for source in corpus() {
        for threat in &source.threats {
            if let Outcome::NotReported = outcome(threat, &source.report) {
                lost.push(format!("{} {} ({})", source.slug, threat.id, threat.title));
            }
            if let Claim::ReportedBy {
                rules,
                at,
                awaits: Some(_),
            } = &threat.claim
            {
                let reported = risks(&source.report)
                    .iter()
                    .any(|risk| reporting_rule(risk, rules, at.as_deref()).is_some());
                assert!(
                    !reported,
                    "{} {} is reported now: remove its `awaits`",
                    source.slug, threat.id
                );
            }
        }
    }
    assert!(lost.is_empty(), "no longer reported: {lost:#?}");
}

#[test]
fn every_risk_is_a_listed_threat_or_a_judged_extra() {
    let mut unjudged = Vec::new();
    let mut stale = Vec::new();
    for source in corpus() {
        let extras = extra_risks(&source);
        for risk in &extras {
            if judged(risk, &source.extras).is_none() {
                let rules: BTreeSet<&str> = facet_rules(risk).collect();
                unjudged.push(format!(
                    "{}: {} at {} ({rules:?})",
                    source.slug, risk["title"], risk["place"]
                ));
            }
        }
        for extra in &source.extras {
            if !extras
                .iter()
                .any(|risk| judged(risk, std::slice::from_ref(extra)).is_some())
            {
                stale.push(format!("{}: {} at {}", source.slug, extra.rule, extra.at));
            }
        }
    }
    assert!(
        unjudged.is_empty(),
        "risks that match no listed threat and no `extra` entry: {unjudged:#?}"
    );
    assert!(
        stale.is_empty(),
        "`extra` entries that match no unlisted risk: {stale:#?}"
    );
}

fn verdict(outcome: &Outcome) -> String {
    match outcome {
        Outcome::Reported { rule, place } => format!("reported: {rule} (risk at `{place}`)"),
        Outcome::Asked { rule, element } => {
            format!("asked: {rule} waits on a question about `{element}`")
        }
        Outcome::Pending(rules) => {
            format!("pending: {} (not in the catalogue yet)", rules.join(", "))
        }
        Outcome::Awaits(change) => format!("pending: awaits {change}"),
        Outcome::NotReported => "**not reported**".to_owned(),
        Outcome::Missed(reason) => format!("missed: {reason}"),
        Outcome::NotExpressible { reason, needs } => {
            format!("not expressible ({}): {reason}", needs.word())
        }
    }
}

fn cell(text: &str) -> String {
    text.replace('|', "\\|").replace('\n', " ")
}

fn tally_row(name: &str, tally: Tally) -> String {
    format!(
        "| {name} | {} | {} | {} ({}) | {} ({} as questions) | {} | {} | {} kept, {} noise ({:.1} per 10 nodes) | {} |\n",
        tally.nodes,
        tally.listed,
        tally.expressible,
        percent(tally.expressible_share()),
        tally.reported,
        tally.asked,
        tally.pending,
        tally.missed,
        tally.extra_kept,
        tally.extra_noise,
        tally.extras_per_ten_nodes(),
        tally.reported_share().map_or("—".to_owned(), percent),
    )
}

fn evaluation_page(sources: &[Source]) -> String {
    let mut page = String::from(
        "# Evaluation against published threat models\n\n\
         Published, worked threat models of agent systems, written by others, encoded in the \
         model format and checked. Generated by `tests/corpus.rs` from `tests/corpus/` (the \
         test fails when this page is stale; `BARTIZAN_BLESS=1 cargo test --test corpus` \
         rewrites it). Each source's directory holds the model, with a header that cites the \
         source and says what was left out, and the source's threat list as data.\n\n\
         How a threat is counted:\n\n\
         - **reported**: a check reports it as a risk (the check is among the risk's facets, at \
         or through the node the threat is about), or — where the source leaves the deciding \
         fact open — asks the question that decides it. Questions are counted apart.\n\
         - **pending**: the checks meant to report it are not in the catalogue yet.\n\
         - **missed**: the model states the facts it depends on, but no check reports it.\n\
         - **not expressible**: it rests on facts the format cannot state; the reason is given, \
         and the kind of fact (see [What the format cannot state](#what-the-format-cannot-state)).\n\n\
         Reported share = reported / (expressible − pending). Extra risks are risks Bartizan \
         reports that match no listed threat, each with a reviewer's verdict.\n\n",
    );
    let header = "| source | nodes | threats listed | expressible | reported | pending | missed | extra risks | reported share |\n|---|---|---|---|---|---|---|---|---|\n";
    let tallies: Vec<Tally> = sources.iter().map(Tally::of).collect();
    let total = tallies.iter().fold(Tally::default(), |a, t| a.add(*t));
    page.push_str("## Totals\n\n");
    page.push_str(header);
    for (source, tally) in sources.iter().zip(&tallies) {
        page.push_str(&tally_row(
            &format!("[{}](#{})", source.slug, source.slug),
            *tally,
        ));
    }
    page.push_str(&tally_row("**all sources**", total));
    let _ = writeln!(
        page,
        "\nOverall: {} of {} listed threats are expressible ({}); {} of the {} whose checks \
         exist are reported ({}), {} of them as risks and {} as questions; {} more wait on \
         checks not yet in the catalogue or on changes to existing ones; {:.1} extra risks per \
         10 nodes.\n",
        total.expressible,
        total.listed,
        percent(total.expressible_share()),
        total.reported,
        total.expressible - total.pending,
        total.reported_share().map_or("—".to_owned(), percent),
        total.reported - total.asked,
        total.asked,
        total.pending,
        total.extras_per_ten_nodes(),
    );
    let met = |ok: bool| if ok { "met" } else { "**not met**" };
    let per_source_ok = tallies
        .iter()
        .all(|t| t.reported_share_at_least(MIN_REPORTED_SHARE_PER_SOURCE));
    let _ = writeln!(
        page,
        "Targets: reported share at least {} overall ({}) and {} on each source ({}); \
         expressible share at least {} overall ({}); at most {:.0} extra risks per 10 nodes ({}).\n",
        percent(MIN_REPORTED_SHARE_OVERALL),
        met(total.reported_share_at_least(MIN_REPORTED_SHARE_OVERALL)),
        percent(MIN_REPORTED_SHARE_PER_SOURCE),
        met(per_source_ok),
        percent(MIN_EXPRESSIBLE_SHARE),
        met(total.expressible_share() >= MIN_EXPRESSIBLE_SHARE),
        MAX_EXTRA_RISKS_PER_TEN_NODES,
        met(total.extras_per_ten_nodes() <= MAX_EXTRA_RISKS_PER_TEN_NODES),
    );
    page.push_str(&not_expressible_section(sources));
    for source in sources {
        let c = &source.citation;
        let _ = writeln!(page, "## {}\n", source.slug);
        let _ = writeln!(
            page,
            "{}, *{}*, version {}, {}; {}. <{}>\n\nModel: [`tests/corpus/{slug}/model.bartizan.yaml`](../tests/corpus/{slug}/model.bartizan.yaml)\n",
            c.publisher,
            c.title,
            c.version,
            c.date,
            c.section,
            c.address,
            slug = source.slug,
        );
        page.push_str("| threat | title | verdict |\n|---|---|---|\n");
        for threat in &source.threats {
            let _ = writeln!(
                page,
                "| {} | {} | {} |",
                cell(&threat.id),
                cell(&threat.title),
                cell(&verdict(&outcome(threat, &source.report)))
            );
        }
        let extras = extra_risks(source);
        if extras.is_empty() {
            page.push_str("\nExtra risks: none.\n\n");
        } else {
            page.push_str("\n| extra risk | verdict | why |\n|---|---|---|\n");
            for risk in extras {
                let (verdict, reason) = match judged(risk, &source.extras) {
                    Some(extra) if extra.kept => ("kept", extra.reason.as_str()),
                    Some(extra) => ("noise", extra.reason.as_str()),
                    None => ("**unjudged**", ""),
                };
                let _ = writeln!(
                    page,
                    "| {} (at `{}`) | {verdict} | {} |",
                    cell(risk["title"].as_str().unwrap()),
                    risk["place"].as_str().unwrap(),
                    cell(reason)
                );
            }
            page.push('\n');
        }
    }
    page
}

/// How many listed threats rest on each kind of fact the format cannot state, and which facts
/// of a design the vocabulary lacks.
fn not_expressible_section(sources: &[Source]) -> String {
    let mut section = String::from(
        "## What the format cannot state\n\n| the threat rests on | threats | meaning |\n|---|---|---|\n",
    );
    let not_expressible = |need: Need| {
        sources.iter().flat_map(move |source| {
            source
                .threats
                .iter()
                .filter_map(move |threat| match &threat.claim {
                    Claim::NotExpressible { reason, needs } if *needs == need => {
                        Some((source, threat, reason))
                    }
                    _ => None,
                })
        })
    };
    for need in Need::ALL {
        let _ = writeln!(
            section,
            "| `{}` | {} | {} |",
            need.word(),
            not_expressible(need).count(),
            need.meaning()
        );
    }
    section.push_str("\nFacts of a design the vocabulary lacks:\n\n");
    for (source, threat, reason) in not_expressible(Need::Vocabulary) {
        let _ = writeln!(
            section,
            "- [{}](#{}) {}: {}",
            source.slug, source.slug, threat.id, reason
        );
    }
    section.push('\n');
    section
}

#[test]
fn the_evaluation_page_is_current() {
    common::assert_generated(EVALUATION_PAGE, &evaluation_page(&corpus()), "corpus");
}
