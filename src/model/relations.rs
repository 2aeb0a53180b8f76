//! Which relations make sense between which kinds: the one table the validator, the JSON
//! Schema documentation, the format reference and the desktop app's "connect" menu all use.

use super::vocabulary::{NodeKind, Relation};

use NodeKind::*;

/// One row: `relation` may go from any kind in `from` to any kind in `to`.
pub struct RelationRule {
    pub relation: Relation,
    pub from: &'static [NodeKind],
    pub to: &'static [NodeKind],
}

/// The allowed (from kind, relation, to kind) triples, one row per relation.
pub const RELATION_RULES: &[RelationRule] = &[
    RelationRule {
        relation: Relation::Invokes,
        from: &[Agent, Workflow, Gateway, Tool, Human],
        to: &[Tool, Model, Agent, Workflow, Gateway],
    },
    RelationRule {
        relation: Relation::ActsAs,
        from: &[Agent, Workflow, Tool, Gateway, Human],
        to: &[Identity],
    },
    RelationRule {
        relation: Relation::Holds,
        from: &[Agent, Workflow, Tool, Gateway, Identity, Human],
        to: &[Secret],
    },
    RelationRule {
        relation: Relation::Grants,
        from: &[Secret, Identity],
        to: &[
            Tool, Datastore, Memory, Model, Workflow, Gateway, Identity, Agent,
        ],
    },
    RelationRule {
        relation: Relation::Reads,
        from: &[Agent, Workflow, Tool, Gateway, Human],
        to: &[Datastore, Memory],
    },
    RelationRule {
        relation: Relation::Writes,
        from: &[Agent, Workflow, Tool, Gateway, Human],
        to: &[Datastore, Memory],
    },
    RelationRule {
        relation: Relation::Feeds,
        from: &[
            Input, Datastore, Memory, Tool, Agent, Workflow, Model, Gateway,
        ],
        to: &[Agent, Workflow, Gateway],
    },
    RelationRule {
        relation: Relation::Sends,
        from: &[Agent, Tool, Workflow, Gateway],
        to: &[Input, Human],
    },
    RelationRule {
        relation: Relation::Delegates,
        from: &[Human, Agent],
        to: &[Agent],
    },
    RelationRule {
        relation: Relation::Approves,
        from: &[Human],
        to: &[Tool, Workflow, Agent, Gateway],
    },
    RelationRule {
        relation: Relation::Triggers,
        from: &[Human, Workflow, Input, Agent, Tool, Gateway],
        to: &[Workflow, Agent],
    },
];

/// The row of a relation.
pub fn rule_for(relation: Relation) -> &'static RelationRule {
    RELATION_RULES
        .iter()
        .find(|rule| rule.relation == relation)
        .expect("every relation has a row in RELATION_RULES")
}

/// Whether `from -relation-> to` makes sense.
pub fn is_allowed(from: NodeKind, relation: Relation, to: NodeKind) -> bool {
    let rule = rule_for(relation);
    rule.from.contains(&from) && rule.to.contains(&to)
}

/// The relations that may go from one kind to another, in the vocabulary's order.
pub fn relations_between(from: NodeKind, to: NodeKind) -> Vec<Relation> {
    Relation::ALL
        .iter()
        .copied()
        .filter(|&relation| is_allowed(from, relation, to))
        .collect()
}

/// Which edge fields apply to which relations: `(field, relations)`.
pub const EDGE_ATTRIBUTES: &[(&str, &[Relation])] = &[
    ("permissions", &[Relation::Grants]),
    ("auth", &[Relation::Delegates, Relation::Invokes]),
    (
        "scope",
        &[Relation::Delegates, Relation::Triggers, Relation::Approves],
    ),
    ("verified", &[Relation::Invokes, Relation::Delegates]),
    ("daily_volume", &[Relation::Approves]),
    ("renders", &[Relation::Sends]),
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_relation_has_exactly_one_row() {
        for &relation in Relation::ALL {
            let rows = RELATION_RULES
                .iter()
                .filter(|rule| rule.relation == relation)
                .count();
            assert_eq!(rows, 1, "{relation} has {rows} rows");
        }
    }

    #[test]
    fn offers_only_sensible_relations() {
        assert_eq!(
            relations_between(Agent, Secret),
            vec![Relation::Holds],
            "an agent can only hold a secret"
        );
        assert!(relations_between(Secret, Agent).contains(&Relation::Grants));
        assert!(relations_between(Input, Secret).is_empty());
        assert_eq!(
            relations_between(Human, Agent),
            vec![
                Relation::Invokes,
                Relation::Delegates,
                Relation::Approves,
                Relation::Triggers
            ]
        );
    }
}
