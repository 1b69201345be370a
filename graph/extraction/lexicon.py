"""The words the statement rules look for: verbs of blame, stance and speech, role and
event nouns. Extend a list here to teach ``apg extract`` a new word; hedges are in
``hedges.yaml``."""

from __future__ import annotations

__all__ = [
    "ACTOR_TYPES", "ATTRIBUTE", "BLAME",
    "CYBER_WORDS", "DOCUMENT_NOUNS",
    "EVENT_FAMILIES", "HARMFUL", "HOLDING_VERBS", "INCIDENT_NOUNS", "NEGATIVE", "NORMATIVE",
    "OPPOSE", "PEOPLE_FROM", "PREFER", "REPORT", "ROLE_NOUNS", "SPEAKING_ROLES",
    "STRIKE", "STRUCTURAL", "SUPPORT", "VIEW_NOUNS",
]  # fmt: skip

BLAME = {
    "blame", "accuse", "attack", "criticise", "criticize", "denounce", "condemn", "fault",
    "rebuke", "castigate", "slam", "chastise", "censure",
}  # fmt: skip
SUPPORT = {
    "back", "support", "affirm", "endorse", "welcome", "favour", "favor", "defend", "champion",
    "uphold", "reaffirm", "embrace", "advocate", "promote", "accept",
}  # fmt: skip
OPPOSE = {
    "reject", "oppose", "refuse", "deny", "dismiss", "resist", "block", "veto", "decline",
    "contest", "challenge",
}  # fmt: skip
REPORT = {
    "say", "tell", "state", "add", "argue", "warn", "insist", "claim", "write", "note",
    "declare", "stress", "announce", "explain", "believe", "fear", "conclude", "maintain",
    "contend", "suggest", "assert", "emphasise", "emphasize", "predict", "acknowledge",
}  # fmt: skip
ATTRIBUTE = {
    "coordinate", "carry", "launch", "conduct", "orchestrate", "perpetrate", "sponsor",
    "direct", "mount", "stage", "commission", "organise", "organize", "execute", "blame",
}  # fmt: skip
INCIDENT_NOUNS = {
    "hack", "hacking", "attack", "break", "breach", "intrusion", "operation", "incident",
    "cyberattack", "cyber-attack", "ransomware", "campaign", "in", "theft", "leak", "outage",
}  # fmt: skip
ROLE_NOUNS = {
    "representative", "delegate", "envoy", "ambassador", "official", "diplomat", "minister",
    "spokesman", "spokeswoman", "spokesperson", "negotiator", "president", "secretary",
    "head", "chief", "director", "adviser", "advisor", "commissioner", "chair", "chairman",
}  # fmt: skip
PEOPLE_FROM = {"expert", "official", "diplomat", "delegate", "representative", "negotiator",
               "delegation", "minister", "envoy"}  # fmt: skip
# "recognising X would lead to ...": what a speaker warns a measure would do
STRUCTURAL = {"part_of", "member_of", "located_in", "represents", "leads", "affiliated_with",
              "editor_of", "targets", "participates_in", "observes", "speaks_at"}  # fmt: skip
STRIKE = {"strike", "hit", "target", "disrupt", "cripple", "paralyse", "paralyze", "knock",
          "compromise", "breach", "infiltrate"}  # fmt: skip
CYBER_WORDS = {
    "cyber", "cyber-attack", "cyberattack", "hacking", "hack", "ransomware", "hackers",
    "computers", "servers", "systems", "break-in", "in", "data", "network", "networks",
    "malware", "phishing",
}  # fmt: skip
PREFER = {"like", "prefer", "favour", "favor", "want", "support", "back", "seek", "value"}
HARMFUL = {
    "lead", "cause", "undermine", "threaten", "destabilise", "destabilize", "endanger",
    "legitimise", "legitimize", "militarise", "militarize", "jeopardise", "erode",
}  # fmt: skip
DOCUMENT_NOUNS = {"charter", "convention", "treaty", "declaration", "manual", "report",
                  "resolution", "agreement", "protocol", "statute", "constitution"}  # fmt: skip
VIEW_NOUNS = {
    "conclusion", "decision", "assessment", "view", "belief", "calculation", "claim", "finding",
    "judgement", "judgment", "argument", "position", "contention", "determination",
}  # fmt: skip
HOLDING_VERBS = {"believe", "think", "want", "insist", "consider", "hope", "prefer", "fear",
                 "seek", "wish", "commit"}  # fmt: skip
ACTOR_TYPES = {"state", "group", "institution", "person", "official"}
NORMATIVE = {"should", "must", "need", "needs", "ought", "applies", "apply", "committed"}
EVENT_FAMILIES = [
    {"negotiation", "negotiations", "discussion", "discussions", "talk", "talks", "process"},
    {"dispute", "row", "split", "disagreement", "quarrel"},
    {"collapse", "breakdown", "impasse", "failure", "deadlock"},
    {"meeting", "session", "conference", "summit"},
]
SPEAKING_ROLES = {"representative", "delegate", "envoy", "ambassador", "spokesman",
                  "spokeswoman", "spokesperson", "negotiator", "minister"}  # fmt: skip
NEGATIVE = {"dangerous", "unsupportable", "wrong", "unacceptable", "irresponsible", "absurd",
            "false", "misguided", "untenable", "reckless"}  # fmt: skip

# Per rule, (matched + 1) / (drafted + 2) over the drafts of the seed and the two fixture
