"""The words the statement rules look for: verbs of blame, stance and speech, role and
event nouns. Extend a list here to teach ``apg extract`` a new word; hedges are in
``hedges.yaml``."""

from __future__ import annotations

__all__ = [
    "ACTOR_TYPES", "ATTACK_NOUNS", "ATTRIBUTE", "BLAME", "COMPANY_NOUNS", "COMPANY_WORDS",
    "CYBER_WORDS", "DATE_WORDS", "DOCUMENT_NOUNS", "EVENT_FAMILIES", "GROUP_MODIFIERS",
    "GROUP_NOUNS", "HARMFUL", "HOLDING_VERBS", "INCIDENT_NOUNS", "MALWARE_NOUNS",
    "NAMING_VERBS", "NEGATIVE", "NORMATIVE", "OPPOSE", "PEOPLE_FROM", "PREFER", "PRODUCT_NOUNS",
    "REPORT", "ROLE_NOUNS", "SPEAKING_ROLES", "STRIKE", "STRUCTURAL", "SUPPORT", "VIEW_NOUNS",
]  # fmt: skip

BLAME = {
    "blame", "accuse", "attack", "criticise", "criticize", "denounce", "condemn", "fault",
    "rebuke", "castigate", "slam", "chastise", "censure",
}  # fmt: skip
SUPPORT = {
    "back", "support", "affirm", "endorse", "welcome", "favour", "favor", "defend", "champion",
    "uphold", "reaffirm", "embrace", "advocate", "promote", "accept", "propose",
}  # fmt: skip
OPPOSE = {
    "reject", "oppose", "refuse", "deny", "dismiss", "resist", "block", "veto", "decline",
    "contest", "challenge",
}  # fmt: skip
REPORT = {
    "say", "tell", "state", "add", "argue", "warn", "insist", "claim", "write", "note",
    "declare", "stress", "announce", "explain", "believe", "fear", "conclude", "maintain",
    "contend", "suggest", "assert", "emphasise", "emphasize", "predict", "acknowledge",
    "agree", "demand",
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

# Named cyber operations, malware and hacking groups (graph/extraction/operations.py).
# A name before one of these nouns names the operation or the malware: "the NotPetya
# attack", "the WannaCry, NotPetya and Operation Cloud Hopper attacks", "Brushfire, the wiper"
MALWARE_NOUNS = {
    "malware", "ransomware", "wiper", "worm", "virus", "trojan", "spyware", "botnet",
    "backdoor", "outbreak", "implant", "strain", "loader", "rootkit", "exploit",
}  # fmt: skip
ATTACK_NOUNS = {
    "attack", "cyber-attack", "cyberattack", "hack", "breach", "intrusion", "campaign",
    "operation", "heist", "cyber-espionage", "espionage",
}  # fmt: skip
# the nouns of a group that a name can follow ("a hacking group it calls X", "the GRU unit
# known as X", "a persona calling itself X")
GROUP_NOUNS = {
    "group", "gang", "unit", "crew", "collective", "outfit", "actor", "hackers", "hacker",
    "persona", "cell", "team", "cartel", "syndicate",
}  # fmt: skip
# a group noun names a hacking group only beside one of these ("hacking group Lazarus",
# not "the shipping group Osterlund")
GROUP_MODIFIERS = {
    "hacking", "hacker", "hackers", "cyber", "cyber-espionage", "espionage", "ransomware",
    "threat", "apt", "state-sponsored", "state-backed", "cybercrime", "cybercriminal",
    "extortion", "hacktivist", "online",
}  # fmt: skip
# "a group known as X", "a group it calls X", "malware dubbed X", "also tracked as X"
NAMING_VERBS = {"call", "know", "dub", "name", "nickname", "track", "brand", "label",
                "designate", "refer"}  # fmt: skip
# the nouns of a business or body beside a name ("the Finnish security firm Kuura Labs",
# "Vestkyst Vind, a Danish wind-farm operator"): an institution, not a person
COMPANY_NOUNS = {
    "firm", "company", "group", "operator", "maker", "drugmaker", "carmaker", "bank",
    "manufacturer", "provider", "contractor", "utility", "insurer", "carrier", "conglomerate",
    "startup", "start-up", "giant", "supplier", "lab", "laboratory", "developer", "vendor",
    "institute", "hospital", "university", "charity", "organisation", "organization",
    "newspaper", "broadcaster", "outlet", "agency", "retailer", "exchange", "airline",
    "shipper", "producer", "business", "think-tank", "tank", "centre", "center", "consultancy",
}  # fmt: skip
# the last word of a business's name ("Kuura Labs", "Harwick Pharmaceuticals")
COMPANY_WORDS = {
    "labs", "lab", "pharmaceuticals", "pharma", "soft", "software", "systems", "technologies",
    "technology", "maritime", "group", "holdings", "bank", "inc", "ltd", "corp", "corporation",
    "company", "solutions", "networks", "energy", "airlines", "motors", "logistics",
    "hospital", "centre", "center", "institute", "university", "authority", "foundation",
    "media", "news", "telecom", "industries", "capital", "partners", "consulting",
    "analytics", "intelligence", "security", "shipping", "gmbh", "ag", "sa", "plc", "llc",
}  # fmt: skip
# words of a date or a time of day: never an entity ("Monday evening", "on Tuesday")
DATE_WORDS = {
    "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday",
    "january", "february", "march", "april", "june", "july", "august", "september",
    "october", "november", "december", "jan", "feb", "mar", "apr", "jun", "jul", "aug",
    "sep", "sept", "oct", "nov", "dec", "morning", "afternoon", "evening", "night",
    "today", "yesterday", "tomorrow", "tonight", "week", "weekend", "month", "year",
    "noon", "midnight", "dawn",
}  # fmt: skip
# a name beside one of these is a product's, not a person's ("Kalyna Ledger, an accounting
# program")
PRODUCT_NOUNS = {"program", "programme", "software", "app", "application", "platform",
                 "tool", "product", "browser", "firmware"}  # fmt: skip
