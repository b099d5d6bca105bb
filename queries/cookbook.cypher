// innograph Cypher cookbook: read-only queries over the graph `innograph load` writes.
//
// Storage model (see innograph/cypher.py): every node has its label and a unique `key`
// (`Label:normalised-name`, `Article:<doc_id>`, `Issue:<key>`); entities have name, aliases,
// mention_count, first_issue, last_issue. Relationships carry `count` and their evidence as
// parallel lists: evidence_doc_ids[i], evidence_sentences[i] (offsets in evidence_starts/ends).
//
// Each query below is one block: a `// name:` line, comment lines saying what it answers,
// a `// params:` line with example parameters (JSON), then the query, ending with `;`.
// Run one by name with `innograph cookbook NAME [--param name=VALUE]` (no quoting of `$name`
// needed; `innograph cookbook` lists them), in cypher-shell (`scripts/neo4j-local shell`,
// then `:param name => '之江实验室'` and paste the query), or in Neo4j Browser the same way.
// $issue is always an issue key such as hzkj-2024-06, never the node key Issue:hzkj-2024-06.
// tests/test_queries_cookbook.py runs every block with its example parameters against the
// bundled sample issue: each returns rows.

// name: profile
// An entity by its name or any alias, with every extracted relationship, both directions.
// params: {"name": "良渚"}
MATCH (n)
WHERE n.name = $name OR $name IN n.aliases
OPTIONAL MATCH (n)-[r:LOCATED_IN|PART_OF|MEMBER_OF|ANCHORED_BY|INCUBATED_BY|COLLABORATES_WITH|ISSUED_BY|FUNDED_BY|ORGANIZED_BY|LEADS|AFFILIATED_WITH]-(m)
RETURN [l IN labels(n) WHERE l <> 'Entity'][0] AS label, n.name AS name, n.aliases AS aliases, n.mention_count AS mentions,
       n.first_issue AS first_issue, n.last_issue AS last_issue,
       type(r) AS type, CASE WHEN startNode(r) = n THEN 'out' ELSE 'in' END AS direction,
       m.name AS other, r.evidence_sentences AS evidence
ORDER BY type, other;

// name: related
// The entities related to one entity by one relationship type (either direction).
// params: {"name": "杭州医药港", "type": "COLLABORATES_WITH"}
MATCH (n {name: $name})-[r]-(m)
WHERE type(r) = $type
RETURN m.name AS other, [l IN labels(m) WHERE l <> 'Entity'][0] AS label, r.evidence_sentences[0] AS evidence
ORDER BY other;

// name: path
// The shortest connections between two entities over extracted relationships (no provenance,
// no co-mentions), every hop with its first evidence sentence.
// params: {"a": "之江实验室", "b": "浙江优基尔新型材料科技有限公司", "max_hops": 4}
MATCH (a {name: $a}), (b {name: $b})
MATCH p = allShortestPaths((a)-[:LOCATED_IN|PART_OF|MEMBER_OF|ANCHORED_BY|INCUBATED_BY|COLLABORATES_WITH|ISSUED_BY|FUNDED_BY|ORGANIZED_BY|LEADS|AFFILIATED_WITH*..6]-(b))
WHERE length(p) <= $max_hops
RETURN [n IN nodes(p) | n.name] AS names,
       [r IN relationships(p) | type(r) + ': ' + r.evidence_sentences[0]] AS hops;

// name: members
// The organisations of an ecosystem: anchors (ANCHORED_BY), members (MEMBER_OF), parts (PART_OF),
// with the sentence that says so.
// params: {"ecosystem": "余杭区环之江实验室创新生态圈"}
MATCH (e:Ecosystem)
WHERE e.name = $ecosystem OR $ecosystem IN e.aliases
MATCH (e)-[r:ANCHORED_BY|MEMBER_OF|PART_OF]-(o)
WHERE (type(r) = 'ANCHORED_BY' AND startNode(r) = e) OR (type(r) <> 'ANCHORED_BY' AND endNode(r) = e)
RETURN CASE type(r) WHEN 'ANCHORED_BY' THEN 'anchor' WHEN 'MEMBER_OF' THEN 'member' ELSE 'part' END AS role,
       o.name AS organisation, [l IN labels(o) WHERE l <> 'Entity'][0] AS label, r.evidence_sentences AS evidence
ORDER BY role, organisation;

// name: search
// Entities whose name or alias contains a text, through the full-text index (CJK analyzer).
// Quote the text to search it as a phrase.
// params: {"text": "\"之江\""}
CALL db.index.fulltext.queryNodes('entity_names', $text) YIELD node, score
RETURN node.name AS name, [l IN labels(node) WHERE l <> 'Entity'][0] AS label, node.aliases AS aliases, node.mention_count AS mentions, score
ORDER BY score DESC, mentions DESC, name
LIMIT 20;

// name: top-mentioned
// The most mentioned entities, optionally of one label (null for all).
// params: {"label": null, "limit": 10}
MATCH (n)
WHERE n.mention_count > 0 AND ($label IS NULL OR $label IN labels(n))
RETURN n.name AS name, [l IN labels(n) WHERE l <> 'Entity'][0] AS label, n.mention_count AS mentions
ORDER BY mentions DESC, name
LIMIT $limit;

// name: top-degree
// The most connected entities: extracted relationships in either direction.
// params: {"limit": 10}
MATCH (n)-[r:LOCATED_IN|PART_OF|MEMBER_OF|ANCHORED_BY|INCUBATED_BY|COLLABORATES_WITH|ISSUED_BY|FUNDED_BY|ORGANIZED_BY|LEADS|AFFILIATED_WITH]-()
RETURN n.name AS name, [l IN labels(n) WHERE l <> 'Entity'][0] AS label, count(r) AS degree
ORDER BY degree DESC, name
LIMIT $limit;

// name: top-mentioned-in-issue
// The entities mentioned most in one issue's articles (MENTIONED_IN counts).
// params: {"issue": "hzkj-2024-06", "limit": 10}
MATCH (i:Issue {key: 'Issue:' + $issue})<-[:PUBLISHED_IN]-(:Article)<-[m:MENTIONED_IN]-(n)
RETURN n.name AS name, [l IN labels(n) WHERE l <> 'Entity'][0] AS label, sum(m.count) AS mentions
ORDER BY mentions DESC, name
LIMIT $limit;

// name: new-entities-in-issue
// Entities first seen in an issue.
// params: {"issue": "hzkj-2024-06"}
MATCH (n)
WHERE n.first_issue = $issue
RETURN [l IN labels(n) WHERE l <> 'Entity'][0] AS label, n.name AS name, n.mention_count AS mentions
ORDER BY label, name;

// name: new-relationships-in-issue
// Relationships with evidence in an issue and none in any earlier issue (issue keys sort by date).
// params: {"issue": "hzkj-2024-06"}
MATCH (h)-[r:LOCATED_IN|PART_OF|MEMBER_OF|ANCHORED_BY|INCUBATED_BY|COLLABORATES_WITH|ISSUED_BY|FUNDED_BY|ORGANIZED_BY|LEADS|AFFILIATED_WITH]->(t)
UNWIND r.evidence_doc_ids AS doc
MATCH (:Article {key: 'Article:' + doc})-[:PUBLISHED_IN]->(i:Issue)
WITH h, r, t, min(substring(i.key, 6)) AS first_issue
WHERE first_issue = $issue
RETURN h.name AS head, type(r) AS type, t.name AS tail, r.evidence_sentences AS evidence
ORDER BY type, head, tail;

// name: ecosystems-by-members
// Ecosystems ranked by how many organisations belong to them (members and anchors).
// params: {}
MATCH (e:Ecosystem)
OPTIONAL MATCH (o)-[:MEMBER_OF]->(e)
OPTIONAL MATCH (e)-[:ANCHORED_BY]->(a)
RETURN e.name AS ecosystem, count(DISTINCT o) AS members, collect(DISTINCT a.name) AS anchors
ORDER BY members DESC, ecosystem;

// name: policies-by-agency
// Policies grouped by the agency (or region) that issued them.
// params: {}
MATCH (p:Policy)-[r:ISSUED_BY]->(a)
RETURN a.name AS issuer, [l IN labels(a) WHERE l <> 'Entity'][0] AS label, collect(p.name) AS policies, count(p) AS n
ORDER BY n DESC, issuer;

// name: organisations-in-several-issues
// Organisations mentioned in articles of at least $min_issues different issues.
// params: {"min_issues": 1}
MATCH (o:University|Lab|Institute|Facility|Ecosystem|Company|Platform|Fund|Agency)-[:MENTIONED_IN]->(:Article)-[:PUBLISHED_IN]->(i:Issue)
WITH o, collect(DISTINCT i.key) AS issues
WHERE size(issues) >= $min_issues
RETURN o.name AS organisation, [l IN labels(o) WHERE l <> 'Entity'][0] AS label, size(issues) AS n_issues, issues
ORDER BY n_issues DESC, organisation;

// name: strongest-co-mentions
// Pairs of entities named together in the most sentences (derived CO_MENTIONED edges).
// params: {"limit": 10}
MATCH (a)-[c:CO_MENTIONED]->(b)
RETURN a.name AS a, b.name AS b, c.count AS sentences, c.evidence_sentences[0] AS example
ORDER BY sentences DESC, a, b
LIMIT $limit;

// name: evidence-of-type
// Every relationship of one type with its sentences and the articles they come from.
// params: {"type": "INCUBATED_BY"}
MATCH (h)-[r]->(t)
WHERE type(r) = $type
UNWIND range(0, size(r.evidence_doc_ids) - 1) AS i
MATCH (art:Article {key: 'Article:' + r.evidence_doc_ids[i]})
RETURN h.name AS head, t.name AS tail, r.evidence_sentences[i] AS sentence, art.title AS article
ORDER BY head, tail;

// name: incubators
// Which organisations, facilities or platforms incubated which companies.
// params: {}
MATCH (c:Company)-[r:INCUBATED_BY]->(x)
RETURN x.name AS incubator, [l IN labels(x) WHERE l <> 'Entity'][0] AS label, collect(c.name) AS companies
ORDER BY size(companies) DESC, incubator;

// name: people-and-roles
// People, the organisations they lead (with the role) or are affiliated with.
// params: {}
MATCH (p:Person)-[r:LEADS|AFFILIATED_WITH]->(o)
RETURN p.name AS person, type(r) AS relation, r.role AS role, o.name AS organisation
ORDER BY person, relation;

// name: articles-of-issue
// The articles of an issue with how many distinct entities each names.
// params: {"issue": "hzkj-2024-06"}
MATCH (a:Article)-[:PUBLISHED_IN]->(:Issue {key: 'Issue:' + $issue})
OPTIONAL MATCH (n)-[:MENTIONED_IN]->(a)
RETURN a.title AS title, a.section AS section, a.page AS page, count(DISTINCT n) AS entities
ORDER BY page, title;

// name: collaboration-neighbourhood
// Organisations within two COLLABORATES_WITH steps of one organisation.
// params: {"name": "杭州医药港"}
MATCH (o {name: $name})-[:COLLABORATES_WITH*1..2]-(x)
WHERE x <> o
RETURN DISTINCT x.name AS organisation, [l IN labels(x) WHERE l <> 'Entity'][0] AS label
ORDER BY organisation;

// name: label-counts
// How many entities of each label the graph holds.
// params: {}
MATCH (n)
WHERE NOT n:Article AND NOT n:Issue
RETURN [l IN labels(n) WHERE l <> 'Entity'][0] AS label, count(*) AS entities
ORDER BY entities DESC, label;
