"""Writes tests/facets/facet_questions.yml: held-out facet questions (written without sight of the
training data or data/facets.yaml) with the opener each should get, worked out from the profiles'
fields by the rules of the brief. Run it again after the profiles change:

    .venv/bin/python tests/facets/make_facet_questions.py tests/facets/facet_questions.yml
"""

import collections
import json
import sys

import yaml

P = str(__import__("pathlib").Path(__file__).resolve().parents[2] / "data" / "resources" / "profiles") + "/"
prof = {}
for t in ["good_samaritan", "naloxone", "test_strips", "treatment"]:
    for p in yaml.safe_load(open(P + t + ".yaml"))["profiles"]:
        prof[(t, p["state"])] = p["fields"]

FIELD = {
    "gs.probation": ("good_samaritan", "covers_probation_parole"),
    "gs.warrants": ("good_samaritan", "covers_outstanding_warrants"),
    "gs.paraphernalia": ("good_samaritan", "protects_paraphernalia"),
    "gs.possession": ("good_samaritan", "protects_possession"),
    "gs.underage": ("good_samaritan", "protects_underage_drinking"),
    "gs.dih": ("good_samaritan", "drug_induced_homicide_law"),
    "gs.has_law": ("good_samaritan", "has_law"),
    "nal.immunity": ("naloxone", "layperson_immunity"),
    "nal.pharmacist": ("naloxone", "pharmacist_prescribing"),
    "nal.third_party": ("naloxone", "third_party_prescribing"),
    "nal.standing_order": ("naloxone", "standing_order"),
    "tx.methadone": ("treatment", "medicaid_covers_methadone"),
    "tx.bupe": ("treatment", "medicaid_covers_buprenorphine"),
}
TEXT = {
    "nal.free": ("naloxone", "free_program"),
    "tx.telehealth": ("treatment", "telehealth_buprenorphine"),
    "tx.helpline": ("treatment", "state_helpline"),
}
WDK = "We don't know"


def expect(facet, st):
    if facet in FIELD:
        t, k = FIELD[facet]
        v = prof[(t, st)][k]
        return {True: "Yes", False: "No", None: WDK}[v]
    if facet in TEXT:
        t, k = TEXT[facet]
        v = prof[(t, st)][k]
        return WDK if v is None else "Yes"
    if facet == "gs.arrest":
        f = prof[("good_samaritan", st)]
        if f["has_law"] is False:
            return "Yes"
        if f["has_law"] is None and f["protection_level"] is None:
            return WDK
        lv = f["protection_level"]
        return {
            "arrest": "No",
            "charge": "Partly",
            "prosecution": "Partly",
            "affirmative_defense": "Partly",
            "mitigating_factor": "Partly",
            "none": "Yes",
            None: WDK,
        }[lv]
    if facet == "nal.otc":
        return "No"
    if facet == "ts.legal":
        v = prof[("test_strips", st)]["legal_status"]
        return {"legal": "Yes", "paraphernalia": "No", "not_addressed": "Partly", None: WDK}[v]
    if facet == "unknown":
        return WDK
    raise KeyError(facet)


# (facet, state, messages, tags)  tags: m=medicaid name, p=place of call, w=what-about
ITEMS = [
    # --- good samaritan: probation/parole
    (
        "gs.probation",
        "FL",
        ["does floridas good samaritan law protect me from a probation violation if i call 911"],
        "",
    ),
    ("gs.probation", "IL", ["good sam law in illinois", "does it cover parole"], ""),
    (
        "gs.probation",
        "GA",
        ["im on parole in georgia, am i protected from a violation if i call 911 for my homie who od'd"],
        "",
    ),
    ("gs.probation", "ME", ["whats the 911 overdose law in maine", "wat if im on probaton, does it cover that"], ""),
    (
        "gs.probation",
        "MA",
        ["masshealth member here. if i call for an od does the good samaritan thing cover my parole"],
        "m",
    ),
    ("gs.probation", "SC", ["is there a good sam law in nc", "ok and does it cover probation", "what about sc"], "w"),
    (
        "gs.probation",
        "DC",
        [
            "i live in virginia but we party in dc alot. if i call 911 there for my friend does the good samaritan law cover my probation"
        ],
        "p",
    ),
    # --- warrants
    ("gs.warrants", "AZ", ["if i call 911 in arizona for an od and i got a warrant am i protected from it"], ""),
    (
        "gs.warrants",
        "CT",
        ["im on husky. does the good samaritan law cover outstanding warrants if i call for my friend"],
        "m",
    ),
    ("gs.warrants", "MD", ["good samaritan law maryland", "does it cover warrants tho"], ""),
    (
        "gs.warrants",
        "MO",
        ["i have a bench warrant in missouri, if i call 911 for my friend does the od law protect me on that"],
        "",
    ),
    ("gs.warrants", "CO", ["colorado 911 immunity law", "wat if i got an open warrant, am i covered"], ""),
    ("gs.warrants", "NY", ["does new yorks good samaritan law cover warrants"], ""),
    # --- paraphernalia
    ("gs.paraphernalia", "AK", ["am i protected from paraphernalia charges if i call 911 in alaska"], ""),
    (
        "gs.paraphernalia",
        "WA",
        ["got apple health. if i call 911 for a friend thats oding does the law cover my rigs and pipes"],
        "m",
    ),
    ("gs.paraphernalia", "VA", ["911 good samaritan law in virginia", "does it cover paraphernalia"], ""),
    ("gs.paraphernalia", "MN", ["good sam law minnesota", "r pipes covered"], ""),
    ("gs.paraphernalia", "NV", ["does the good samaritan law in nevada cover my needles n stuff if i call"], ""),
    (
        "gs.paraphernalia",
        "PA",
        [
            "i live in jersey but my friend might od at a house party in philly this weekend",
            "if i call 911 there am i covered for the pipes and gear",
        ],
        "p",
    ),
    (
        "gs.paraphernalia",
        "MI",
        [
            "im from ohio but going to a festival in michigan, if i call 911 for my friend are my pipes and stuff covered"
        ],
        "p",
    ),
    # --- possession
    (
        "gs.possession",
        "WI",
        ["if i call 911 in wisconsin for an od am i protected from a possession charge for whats on me"],
        "",
    ),
    ("gs.possession", "MT", ["does montanas good samaritan law cover possesion"], ""),
    ("gs.possession", "TN", ["tenncare member - if i call for an od am i protected from drug possession charges"], "m"),
    ("gs.possession", "WV", ["west virginia overdose law", "r we protected for possesion if we call"], ""),
    ("gs.possession", "NE", ["good samaritan in iowa", "am i covered for possession", "what about nebraska"], "w"),
    # --- underage drinking
    (
        "gs.underage",
        "KY",
        ["im 19, if i call 911 cuz my friend drank way too much in kentucky am i protected for underage drinking"],
        "",
    ),
    ("gs.underage", "NJ", ["new jersey 911 amnesty for underage drinking?"], ""),
    ("gs.underage", "SC", ["good samaritan law in south carolina", "does it cover underage drinking"], ""),
    (
        "gs.underage",
        "CA",
        ["im 20 in california, if i call for my drunk friend am i covered for underage drinking"],
        "",
    ),
    (
        "gs.underage",
        "IA",
        ["is there a good sam law in iowa", "what if we were drinkin and were under 21, r we covered"],
        "",
    ),
    (
        "gs.underage",
        "OK",
        [
            "i have soonercare and im 18. if i call 911 for a friend who drank too much am i covered for underage drinking"
        ],
        "m",
    ),
    # --- will i get arrested if i call
    ("gs.arrest", "GA", ["will i get arrested if i call 911 for an od in georgia"], ""),
    ("gs.arrest", "NY", ["if i call 911 in new york for my friend will the cops arrest me for the stuff i have"], ""),
    ("gs.arrest", "TX", ["good samaritan law texas", "so if i call will i get arrested"], ""),
    ("gs.arrest", "WI", ["wisconsin overdose law", "will they arrest me if i call"], ""),
    (
        "gs.arrest",
        "IN",
        [
            "i live in louisville but work across the bridge in indiana. if someone ods at work and i call 911 will i get arrested for my stuff"
        ],
        "p",
    ),
    (
        "gs.arrest",
        "KY",
        ["i live in cincinnati but i work in covington ky", "if somebody ods at work and i call 911 do i get arrested"],
        "p",
    ),
    (
        "gs.arrest",
        "OR",
        [
            "i stay in vancouver wa but we hang out in portland a lot",
            "if my bf ods there and i call 911 will i get arested for what we got",
        ],
        "p",
    ),
    ("gs.arrest", "CA", ["im on medi-cal. if i call 911 for my friends od will i get arrested"], "m"),
    ("gs.arrest", "CO", ["utah good samaritan", "will i get arested if i call", "what about colorado"], "w"),
    # --- drug induced homicide
    ("gs.dih", "PA", ["can the guy who sold my friend the pills get charged if she dies in pennsylvania"], ""),
    ("gs.dih", "OH", ["if someone dies from drugs i gave them in ohio can i be charged for it"], ""),
    ("gs.dih", "AL", ["good samaritan law alabama", "can the dealer get charged if someone dies"], ""),
    ("gs.dih", "KS", ["got kancare. if my friend dies from what i shared with him can i get charged w homicide"], "m"),
    ("gs.dih", "MI", ["overdose laws in michigan", "can the person who gave him the drugs be charged if he dies"], ""),
    (
        "gs.dih",
        "NM",
        ["can a dealer get charged w murder if someone ods and dies in tennessee", "what about new mexico"],
        "w",
    ),
    # --- is there a law / am i protected if i call for my friend
    ("gs.has_law", "ID", ["is there a good samaritan law in idaho"], ""),
    ("gs.has_law", "ND", ["am i protected if i call 911 for my friend in north dakota"], ""),
    (
        "gs.has_law",
        "VT",
        ["ok so i live in vermont and my friends use", "is there a law that protects me if i call 911 for one of them"],
        "",
    ),
    ("gs.has_law", "DE", ["hey", "im in delaware", "am i protected if i call for my friend"], ""),
    ("gs.has_law", "AL", ["is there a 911 good samaritan law in north dakota", "what about alabama"], "w"),
    # --- naloxone: layperson immunity
    ("nal.immunity", "OH", ["am i protected if i give someone narcan in ohio"], ""),
    ("nal.immunity", "CO", ["narcan laws in colorado", "am i protected if i use it on someone"], ""),
    ("nal.immunity", "KS", ["will i be protected from getting sued if i narcan someone in kansas"], ""),
    ("nal.immunity", "WI", ["badgercare member, if i give narcan to somebody oding am i protected"], "m"),
    ("nal.immunity", "IL", ["im in illinois and carry narcan", "am i covered legally if i use it on someone"], ""),
    ("nal.immunity", "UT", ["am i legally protected if i narcan someone in utah"], ""),
    # --- pharmacist prescribing
    ("nal.pharmacist", "NM", ["can a pharmacist prescribe me narcan in new mexico"], ""),
    ("nal.pharmacist", "VA", ["can a pharmacist write me a script for naloxone in virginia"], ""),
    ("nal.pharmacist", "KY", ["narcan in kentucky", "can the pharmacist prescribe it to me"], ""),
    ("nal.pharmacist", "HI", ["im on med-quest, can a pharmacist prescribe me narcan"], "m"),
    ("nal.pharmacist", "MA", ["can pharmacists prescribe narcan in massachusetts"], ""),
    ("nal.pharmacist", "SD", ["can pharmacists prescribe naloxone in north dakota", "what about south dakota"], "w"),
    # --- third party prescribing
    ("nal.third_party", "AK", ["can i get a narcan prescription for my brother in alaska"], ""),
    ("nal.third_party", "DC", ["naloxone laws in dc", "can i get a prescription for my friend"], ""),
    ("nal.third_party", "GA", ["can i get narcan prescribed in my name for my son in georgia"], ""),
    ("nal.third_party", "VT", ["i have green mountain care. can i get a narcan prescription for my mom who uses"], "m"),
    ("nal.third_party", "RI", ["narcan in rhode island", "can i get a script for my friend"], ""),
    # --- standing order
    ("nal.standing_order", "LA", ["is there a standing order for narcan in louisiana"], ""),
    ("nal.standing_order", "MN", ["i need narcan in minnesota", "is there a standing order"], ""),
    ("nal.standing_order", "MO", ["naloxone in missouri", "is there a standing order for it"], ""),
    ("nal.standing_order", "NC", ["is there a narcan standing order in florida", "what about north carolina"], "w"),
    ("nal.standing_order", "AZ", ["im on ahcccs. is there a standing order for narcan in my state"], "m"),
    # --- free narcan
    ("nal.free", "VT", ["is narcan free in vermont"], ""),
    ("nal.free", "UT", ["narcan laws in utah", "is it free"], ""),
    ("nal.free", "MS", ["can i get free narcan in mississippi"], ""),
    ("nal.free", "OK", ["where can i get narcan in oklahoma", "is it free tho"], ""),
    ("nal.free", "IN", ["im on hoosier healthwise, can i get narcan for free"], "m"),
    ("nal.free", "NC", ["narcan in north carolina", "how do i get it", "is it free"], ""),
    # --- prescription needed to buy
    ("nal.otc", "ID", ["do i need a prescription to buy narcan in idaho"], ""),
    ("nal.otc", "MT", ["narcan in montana", "do i need a script to buy it"], ""),
    ("nal.otc", "AR", ["i got arhome. do i need a perscription to buy narcan"], "m"),
    ("nal.otc", "NE", ["do u need a prescription for narcan in nebraska"], ""),
    # --- test strips
    ("ts.legal", "TX", ["are fentanyl test strips legal in texas"], ""),
    ("ts.legal", "OH", ["r test strips legal to carry in ohio"], ""),
    ("ts.legal", "NE", ["fent strips in nebraska", "r they legal"], ""),
    ("ts.legal", "PA", ["test strips in pennsylvania", "legal to carry?"], ""),
    ("ts.legal", "MA", ["im on masshealth, can i legally carry fentanyl test strips"], "m"),
    (
        "ts.legal",
        "NM",
        [
            "i live in tx but visiting family in new mexico next week and want to bring my fent strips",
            "is that legal there",
        ],
        "p",
    ),
    ("ts.legal", "VT", ["are test strips legal in vermont"], ""),
    ("ts.legal", "IA", ["fent strips iowa", "legal or nah"], ""),
    ("ts.legal", "MN", ["are fentanyl strips legal in north dakota", "what about minnesota"], "w"),
    ("ts.legal", "AL", ["are test strips legal in alabama"], ""),
    # --- treatment: methadone
    ("tx.methadone", "NY", ["does medicaid cover methadone in new york"], ""),
    ("tx.methadone", "CA", ["does medi-cal cover methadone"], "m"),
    ("tx.methadone", "WY", ["does medicaid pay for methadone in wyoming"], ""),
    ("tx.methadone", "WA", ["does apple health cover methadone"], "m"),
    ("tx.methadone", "GA", ["does medicaid cover methadone in georgia"], ""),
    # --- buprenorphine
    ("tx.bupe", "OH", ["will medicaid pay for suboxone in ohio"], ""),
    ("tx.bupe", "TN", ["i got tenncare", "does it cover subs"], "m"),
    ("tx.bupe", "AR", ["i want to get on bupe in arkansas", "does medicaid cover it"], ""),
    ("tx.bupe", "NV", ["medicaid coverage for buprenorphine in nevada?"], ""),
    ("tx.bupe", "OK", ["does soonercare pay for suboxone"], "m"),
    # --- telehealth bupe
    ("tx.telehealth", "IN", ["can i get bupe by telehealth in indiana"], ""),
    ("tx.telehealth", "KS", ["suboxone in kansas", "can i get it thru telehealth"], ""),
    ("tx.telehealth", "NH", ["can i do a video visit for suboxone in nh"], ""),
    ("tx.telehealth", "CT", ["husky covers me. can i get suboxone prescribed over telehealth"], "m"),
    # --- state helpline
    ("tx.helpline", "FL", ["is there a state helpline for drug treatment in florida"], ""),
    ("tx.helpline", "PA", ["treatment in pennsylvania", "is there a state hotline i can call"], ""),
    ("tx.helpline", "NM", ["im on turquoise care and need treatment", "is there a state helpline"], "m"),
    ("tx.helpline", "WA", ["is there a state helpline in washington for treatment"], ""),
    ("tx.helpline", "RI", ["im in rhode island and need detox", "is there a state number i can call"], ""),
    # --- questions the data cannot answer
    ("unknown", "OH", ["do i need to show id to get on methadone in ohio"], ""),
    ("unknown", "TX", ["im undocumented. will the clinic in texas report me to ice if i go for suboxone"], ""),
    ("unknown", "FL", ["how much does narcan cost at walgreens in florida"], ""),
    ("unknown", "MD", ["what time does the methadone clinic open in baltimore"], ""),
    ("unknown", "OR", ["how old do u have to be to get test strips in oregon"], ""),
    ("unknown", "MI", ["narcan in michigan", "do they check ur id"], ""),
    ("unknown", "TN", ["i have tenncare and need bupe", "is there an age limit"], "m"),
    ("unknown", "AZ", ["does my immigration status matter if i call 911 in arizona for an od"], ""),
]


def dump(path):
    out = [
        "# Held-out facet questions for the harm reduction bot.",
        "# One conversation per item: earlier messages set context, the last one is the question scored.",
        "# state: the state the answer must be about. expect: how the answer must begin",
        "# (Yes | No | Partly | We don't know), worked out from data/resources/profiles/*.yaml.",
        "# The comment on each item names the facet (topic.field) the expectation comes from.",
        "questions:",
    ]
    for facet, st, msgs, tags in ITEMS:
        fld = FIELD.get(facet) or TEXT.get(facet)
        note = (
            f"{fld[0]}.{fld[1]}"
            if fld
            else {
                "gs.arrest": "good_samaritan.has_law+protection_level",
                "nal.otc": "naloxone: OTC nationwide since 2023",
                "ts.legal": "test_strips.legal_status",
                "unknown": "not in the data",
            }[facet]
        )
        extra = []
        if "m" in tags:
            extra.append("medicaid program name")
        if "p" in tags:
            extra.append("place of the call")
        if "w" in tags:
            extra.append("what-about follow-up")
        out.append(f"  # {note}" + (f" ({', '.join(extra)})" if extra else ""))
        out.append("  - messages: " + json.dumps(msgs, ensure_ascii=False))
        out.append(f"    state: {st}")
        out.append(f'    expect: "{expect(facet,st)}"')
    open(path, "w").write("\n".join(out) + "\n")


if __name__ == "__main__":
    dump(sys.argv[1])
    n = len(ITEMS)
    fu = sum(len(m) > 1 for _, _, m, _ in ITEMS)
    print("items", n, "followups", fu, round(fu / n * 100), "%")
    print(
        "medicaid",
        sum("m" in t for *_, t in ITEMS),
        "place",
        sum("p" in t for *_, t in ITEMS),
        "whatabout",
        sum("w" in t for *_, t in ITEMS),
    )
    fc = collections.Counter(f for f, *_ in ITEMS)
    print(dict(fc))
    top = collections.Counter(f.split(".")[0] for f, *_ in ITEMS)
    print(dict(top))
    ec = collections.Counter(expect(f, s) for f, s, *_ in ITEMS)
    print(dict(ec))
    print(
        "states",
        len(set(s for _, s, *_ in ITEMS)),
        sorted(set(prof_s for (_, prof_s) in prof) - set(s for _, s, *_ in ITEMS)),
    )
    for f in fc:
        print(f, dict(collections.Counter(expect(ff, s) for ff, s, *_ in ITEMS if ff == f)))
