"""Entity mentions: spaCy's spans repaired, typed and resolved in-document."""
import time

import pytest

from kg.entities import agency_credits, country_of, entity_mentions, mention_at, with_credits
from kg.records import EntityMention


def _mentions(nlp, text):
    return entity_mentions(nlp(text), "doc-1")


def _one(mentions, name):
    found = [m for m in mentions if m.name == name]
    assert len(found) == 1, [m.name for m in mentions]
    return found[0]


@pytest.mark.parametrize("text, name, title, surface", [
    ("US Secretary of State Antony Blinken arrived in Tokyo on Monday for two days of talks.",
     "Antony Blinken", "US Secretary of State", "US Secretary of State Antony Blinken"),
    ("President Xi Jinping welcomed the delegation at the Great Hall of the People.",
     "Xi Jinping", "President", "President Xi Jinping"),
    ("Foreign Minister Qin Gang told reporters that ties had improved.",
     "Qin Gang", "Foreign Minister", "Foreign Minister Qin Gang"),
    ("US Secretary of Commerce Gina Raimondo will host a trade delegation next week.",
     "Gina Raimondo", "US Secretary of Commerce", "US Secretary of Commerce Gina Raimondo"),
    ("Commerce Secretary Gina Raimondo met General Motors executives.",
     "Gina Raimondo", "Commerce Secretary", "Commerce Secretary Gina Raimondo"),
    ("Lt General Zhao Ming, a People's Liberation Army (PLA) strategist, said the drills were routine.",
     "Zhao Ming", "Lt General", "Lt General Zhao Ming"),
    ("NATO Secretary-General Jens Stoltenberg said on Tuesday that allies would send more air defences.",
     "Jens Stoltenberg", "Secretary-General", "Secretary-General Jens Stoltenberg"),
    ("Indian Prime Minister Narendra Modi arrived in Washington on Wednesday.",
     "Narendra Modi", "Indian Prime Minister", "Indian Prime Minister Narendra Modi"),
])
def test_titles_are_absorbed_and_the_name_is_a_person(nlp, text, name, title, surface):
    m = _one(_mentions(nlp, text), name)
    assert (m.type, m.canonical, m.title, m.text) == ("PERSON", name, title, surface)
    assert text[m.start:m.end] == name


def test_a_department_after_secretary_of_is_no_organisation(nlp):
    names = [(m.name, m.type) for m in _mentions(nlp, "US Secretary of State Antony Blinken arrived in Tokyo.")]
    assert names == [("US", "GPE"), ("Antony Blinken", "PERSON"), ("Tokyo", "GPE")]


@pytest.mark.parametrize("text", [
    "The top US diplomat said the State Councilor would attend.",
    "The Secretary will attend the conference in person.",
])
def test_titles_and_descriptions_alone_are_no_entities(nlp, text):
    assert [m for m in _mentions(nlp, text) if m.type == "PERSON"] == []


def test_organisation_words_are_not_taken_for_a_person(nlp):
    m = _one(_mentions(nlp, "Commerce Secretary Gina Raimondo met General Motors executives."), "General Motors")
    assert (m.type, m.title) == ("ORG", None)


def test_surnames_and_titled_surnames_resolve_to_the_full_name(nlp):
    text = ("Antony Blinken landed in Seoul late on Sunday. Blinken then met officials, and Secretary Blinken "
            "later spoke to the press.")
    people = [(m.text, m.canonical, m.type) for m in _mentions(nlp, text) if m.name.endswith("Blinken")]
    assert people == [("Antony Blinken", "Antony Blinken", "PERSON"), ("Blinken", "Antony Blinken", "PERSON"),
                      ("Secretary Blinken", "Antony Blinken", "PERSON")]


def test_the_type_is_voted_per_entity(nlp):
    # spaCy tags "Blinken" as a place in some of these sentences; a titled full name makes every one a person
    text = ("US Secretary of State Antony Blinken spoke with his counterpart. During the call with Qin Gang, "
            "Blinken emphasized the need for dialogue. The statement said Blinken addressed regional issues.")
    kinds = {m.type for m in _mentions(nlp, text) if m.name.endswith("Blinken")}
    assert kinds == {"PERSON"}


@pytest.mark.parametrize("text, expected", [
    ("The PRC and the U.S. agreed to keep talking, while the UK and the United Kingdom's allies watched.",
     [("PRC", "China"), ("U.S.", "United States"), ("UK", "United Kingdom"), ("United Kingdom", "United Kingdom")]),
    ("America and the USA are the same country.", [("America", "United States"), ("USA", "United States")]),
    ("Chinese officials said the talks with the United States were candid.",
     [("Chinese", "Chinese"), ("United States", "United States")]),
])
def test_countries_codes_and_demonyms(nlp, text, expected):
    assert [(m.name, m.canonical) for m in _mentions(nlp, text)] == expected


def test_a_country_of_two_words_tagged_person_is_the_country(nlp):
    text = ("NEW DELHI, Feb 10 (Agency) - India's External Affairs Minister S. Jaishankar will visit Sri Lanka and "
            "the Maldives next week, the ministry announced on Monday.")
    doc = nlp(text)
    assert ("Sri Lanka", "PERSON") in {(e.text, e.label_) for e in doc.ents}  # the small model's reading
    found = {(m.name, m.type) for m in entity_mentions(doc, "t")}
    assert ("Sri Lanka", "GPE") in found and ("S. Jaishankar", "PERSON") in found


def test_a_capital_of_two_words_tagged_person_is_the_city(nlp):
    text = "The Brazilian president flew to Buenos Aires on Monday for talks with his Argentine counterpart."
    doc = nlp(text)
    assert ("Buenos Aires", "PERSON") in {(e.text, e.label_) for e in doc.ents}  # the small model's reading
    assert ("Buenos Aires", "GPE") in {(m.name, m.type) for m in entity_mentions(doc, "t")}


def test_a_demonym_is_a_norp_mention_not_the_country(nlp):
    m = _one(_mentions(nlp, "Chinese officials said the talks were candid."), "Chinese")
    assert (m.type, m.canonical) == ("NORP", "Chinese")


@pytest.mark.parametrize("text, name, canonical", [
    ("Beijing warned Washington against further sanctions.", "Beijing", "China"),
    ("Beijing warned Washington against further sanctions.", "Washington", "United States"),
    ("Relations between Beijing and Moscow have deepened, analysts said.", "Moscow", "Russia"),
    ("Blinken will travel to Beijing next week and then fly to London.", "Beijing", "Beijing"),
    ("Blinken will travel to Beijing next week and then fly to London.", "London", "London"),
    ("The delegation stayed three nights in Moscow before the vote.", "Moscow", "Moscow"),
])
def test_a_capital_that_acts_is_its_country_and_a_capital_as_place_is_the_city(nlp, text, name, canonical):
    m = _one(_mentions(nlp, text), name)
    assert (m.type, m.canonical) == ("GPE", canonical)


def test_a_country_code_before_an_organisation_is_a_country_of_its_own(nlp):
    ms = _mentions(nlp, "US State Department spokesman Matthew Miller declined to comment.")
    assert [(m.name, m.text, m.type, m.canonical) for m in ms][:2] == [
        ("US", "US", "GPE", "United States"), ("State Department", "US State Department", "ORG", "State Department")]


def test_a_name_cut_after_of_takes_its_number_back(nlp):
    ms = _mentions(nlp, "Leaders gathered on the eve of the Group of 20 summit in Bali.")
    assert [(m.name, m.type) for m in ms] == [("Group of 20", "ORG"), ("Bali", "GPE")]


def test_an_acronym_summit_is_an_event_of_its_organisation(nlp):
    ms = _mentions(nlp, "The leaders met at the G20 Summit in Bali last year.")
    assert [(m.name, m.type) for m in ms] == [("G20", "ORG"), ("G20 Summit", "EVENT"), ("Bali", "GPE")]


def test_possessives_and_leading_the_are_removed(nlp):
    ms = _mentions(nlp, "China’s navy shadowed the ship, and Blinken’s aides briefed the United Kingdom.")
    assert [m.name for m in ms] == ["China", "Blinken", "United Kingdom"]


def test_hyphenated_pair_of_known_names_is_two_people(nlp):
    ms = _mentions(nlp, "Antony Blinken met Qin Gang on Sunday. The Qin-Blinken talks lasted five hours.")
    assert [(m.name, m.canonical) for m in ms] == [
        ("Antony Blinken", "Antony Blinken"), ("Qin Gang", "Qin Gang"), ("Qin", "Qin Gang"),
        ("Blinken", "Antony Blinken")]


def test_a_hyphenated_pair_of_unknown_names_is_left_alone(nlp):
    ms = _mentions(nlp, "Coinciding with Qin-Blinken talks, think tanks called for a review.")
    assert [(m.name, m.type) for m in ms] == [("Qin-Blinken", "PERSON")]


def test_an_acronym_in_brackets_joins_its_organisation(nlp):
    text = ("Lt General Zhao Ming, a People's Liberation Army (PLA) strategist, said the drills were routine. "
            "The PLA later confirmed the exercise.")
    orgs = [(m.name, m.canonical) for m in _mentions(nlp, text) if m.type == "ORG"]
    assert orgs == [("People's Liberation Army", "People's Liberation Army"), ("PLA", "People's Liberation Army"),
                    ("PLA", "People's Liberation Army")]


def test_names_never_cross_a_line_break(nlp):
    ms = _mentions(nlp, "Talks continue in Beijing\n\nAhead of the visit, officials met in Geneva.")
    assert all("\n" not in m.name and "\n" not in m.text for m in ms)
    assert [m.name for m in ms] == ["Beijing", "Geneva"]


def test_mentions_are_sorted_and_offsets_point_at_the_name(nlp):
    text = "Foreign Minister Qin Gang told US Secretary of State Antony Blinken that Beijing wants respect."
    ms = _mentions(nlp, text)
    assert [m.start for m in ms] == sorted(m.start for m in ms)
    assert all(text[m.start:m.end] == m.name for m in ms)
    assert all(m.doc == "doc-1" for m in ms)


def test_mention_at_finds_the_mention_covering_a_span(nlp):
    text = "Foreign Minister Qin Gang told US Secretary of State Antony Blinken that Beijing wants respect."
    ms = _mentions(nlp, text)
    at = text.index("Blinken")
    assert mention_at(ms, at, at + 7).canonical == "Antony Blinken"
    assert mention_at(ms, text.index("told"), text.index("told") + 4) is None
    assert mention_at(ms, 0, len(text)) is not None
    assert mention_at([], 0, 5) is None


def test_mention_at_prefers_the_innermost_of_nested_mentions():
    outer = EntityMention("d", 10, 20, "G20 Summit", "G20 Summit", "EVENT", "G20 Summit")
    inner = EntityMention("d", 10, 13, "G20", "G20", "ORG", "G20")
    ms = sorted([outer, inner], key=lambda m: (m.start, m.end))
    assert mention_at(ms, 10, 13) is inner
    assert mention_at(ms, 14, 20) is outer


@pytest.mark.parametrize("name, key", [
    ("Chinese", ("China", "GPE")), ("U.S.", ("United States", "GPE")), ("USA", ("United States", "GPE")),
    ("PRC", ("China", "GPE")), ("UK", ("United Kingdom", "GPE")), ("Moscow", ("Russia", "GPE")),
    ("Russian Federation", ("Russia", "GPE")), ("Viet Nam", ("Vietnam", "GPE")), ("Peru", ("Peru", "GPE")),
    ("Blinken", None),
])
def test_country_of(name, key):
    assert country_of(name) == key


def test_entity_mentions_costs_little_next_to_parsing(nlp, seeds_dir):
    texts = [p.read_text(encoding="utf-8") for p in sorted(seeds_dir.glob("*.txt"))]
    started = time.perf_counter()
    docs = [nlp(t) for t in texts]
    parse = time.perf_counter() - started
    for doc in docs:  # warm the caches (gazetteer, titles) once
        entity_mentions(doc, "warm")
    started = time.perf_counter()
    for doc in docs:
        entity_mentions(doc, "x")
    spent = time.perf_counter() - started
    print(f"\nentity_mentions {spent * 1000:.1f} ms vs parse {parse * 1000:.1f} ms ({spent / parse:.1%})")
    assert spent < 0.10 * parse  # target 5%; the margin absorbs a noisy machine


def _names(mentions):
    return [(m.name, m.type, m.canonical) for m in mentions]


@pytest.mark.parametrize("text, expected", [
    # a given name with a hyphenated syllable stays whole
    ("South Korean President Kim Dae-jung met the visiting delegation on Monday. Kim said the talks were useful.",
     [("South Korean", "NORP", "South Korean"), ("Kim Dae-jung", "PERSON", "Kim Dae-jung"),
      ("Kim", "PERSON", "Kim Dae-jung")]),
    # "<person> of <country>" is a person and a country
    ("Delegates joined former leaders such as Jakaya Kikwete of Tanzania at the meeting.",
     [("Jakaya Kikwete", "PERSON", "Jakaya Kikwete"), ("Tanzania", "GPE", "Tanzania")]),
    # a first name the model left out
    ("Mokgweetsi Masisi on Wednesday removed two ministers, the spokesman said.",
     [("Mokgweetsi Masisi", "PERSON", "Mokgweetsi Masisi")]),
    # "X-based" is a place, whatever the model said
    ("Police said the attack was carried out by the Lahore-based group, whose leader Hafiz Saeed was arrested.",
     [("Lahore", "GPE", "Lahore"), ("Hafiz Saeed", "PERSON", "Hafiz Saeed")]),
    # a place named by its first word, then in full
    ("The president flew to Addis on Friday. Officials in Addis Ababa said talks would begin at once.",
     [("Addis", "GPE", "Addis Ababa"), ("Addis Ababa", "GPE", "Addis Ababa")]),
])
def test_names_are_repaired(nlp, text, expected):
    assert _names(_mentions(nlp, text)) == expected


def test_an_acronym_the_text_spells_out_is_not_a_country_code(nlp):
    text = "The African Union (AU) said on Sunday that the AU summit would open in Addis Ababa."
    assert _names(_mentions(nlp, text)) == [("African Union", "ORG", "African Union"),
                                            ("AU", "ORG", "African Union"), ("Addis Ababa", "GPE", "Addis Ababa")]


@pytest.mark.parametrize("text, name, title", [
    ("According to the statement, PM Sharif dialled the president on Monday.", "Sharif", "PM"),
    ("Coalition spokesman Army Col. John Dorrian said the strike killed two militants.", "John Dorrian",
     "spokesman Army Col."),
])
def test_abbreviated_titles_are_absorbed(nlp, text, name, title):
    mentions = _mentions(nlp, text)
    assert [(m.name, m.type, m.title) for m in mentions] == [(name, "PERSON", title)]


@pytest.mark.parametrize("text, absent", [
    # a title-case headline: capitalised runs the body never names are no entities
    ("Leaders Vow Closer Ties, Sign Key Pacts\n\nThe prime ministers of Japan and India signed three agreements "
     "in Tokyo on Monday.", "Vow Closer Ties"),
    ("Japan and Korea to Resume Talks, Seek Deal\n\nJapanese and South Korean diplomats will meet in Seoul on Monday.",
     "Resume Talks"),
    # a time zone after a clock time
    ("Posted on : 2021-06-15 16:33 KST\n\nThe ministers of Japan and Korea met in Seoul on Monday.", "KST"),
    # a word cut where the text stops
    ("Al Jazeera's Sara Khairat, reporting from Cairo, said the talks were tense, according to Khaira", "Khaira"),
])
def test_noise_is_no_entity(nlp, text, absent):
    names = [m.name for m in _mentions(nlp, text)]
    assert absent not in names and names  # the real names stay


def test_a_headline_keeps_the_names_the_body_repeats(nlp):
    text = "Japan and Korea to Resume Talks, Seek Deal\n\nJapanese and South Korean diplomats will meet in Seoul."
    assert [m.name for m in _mentions(nlp, text)] == ["Japan", "Korea", "Japanese", "South Korean", "Seoul"]


def test_a_building_with_the_article_is_no_person(nlp):
    text = "The delegation was received at the Akasaka Palace and later visited the Meiji Jingu Shrine."
    assert [(m.name, m.type) for m in _mentions(nlp, text)] == [("Akasaka Palace", "FAC"),
                                                                 ("Meiji Jingu Shrine", "ORG")]


@pytest.mark.parametrize("text, expected", [
    ("Officials met in Geneva on Monday.\n\n[with PTI inputs]", [("PTI", "Press Trust of India")]),
    ("NAIROBI (Reuters) - Kenya's president said on Tuesday that the vote would go ahead.", [("Reuters", "Reuters")]),
    ("The talks resumed on Friday.\n\nAFP contributed to this report.", [("AFP", "Agence France-Presse")]),
    ("He spoke to reporters in Delhi on Monday.\n\n— IANS", [("IANS", "Indo-Asian News Service")]),
    ("ROME (ANSA / Xinhua - 3rd May, 2020) The minister said the border would reopen.",
     [("ANSA", "ANSA"), ("Xinhua", "Xinhua News Agency")]),
    ("The ceremony took place in Paris on Saturday. (Reuters)", [("Reuters", "Reuters")]),
    # an outlet promoting itself is no credit
    ("The minister resigned.\n\nDaily Wire is now on Telegram. Click here to join.\n\nTeam Daily Wire", []),
    ("The minister resigned.\n\nRead more from Daily Wire", []),
])
def test_agency_credits_are_read_from_the_raw_text(text, expected):
    credits = agency_credits(text, "doc-1")
    assert [(c.text, c.canonical) for c in credits] == expected
    assert all(c.type == "ORG" and text[c.start:c.end] == c.text for c in credits)


def test_credits_replace_overlapping_mentions_and_retype_the_agency():
    credit = EntityMention("d", 0, 7, "Reuters", "Reuters", "ORG", "Reuters")
    spacy_credit = EntityMention("d", 0, 7, "Reuters", "Reuters", "GPE", "Reuters")
    in_text = EntityMention("d", 40, 47, "Reuters", "Reuters", "PERSON", "Reuters")
    other = EntityMention("d", 20, 25, "Paris", "Paris", "GPE", "Paris")
    merged = with_credits([spacy_credit, other, in_text], [credit])
    assert [(m.start, m.type, m.canonical) for m in merged] == [(0, "ORG", "Reuters"), (20, "GPE", "Paris"),
                                                                (40, "ORG", "Reuters")]


def test_a_dateline_with_its_date_credits_the_agency():
    text = "KYIV, May 5 (Reuters) - The president met his counterpart on Friday."
    assert [(c.text, c.canonical) for c in agency_credits(text, "doc-1")] == [("Reuters", "Reuters")]


def test_an_agency_quoted_in_the_text_takes_its_full_name(nlp):
    m = _one(_mentions(nlp, "The minister told AFP that the border would reopen on Monday."), "AFP")
    assert (m.type, m.canonical) == ("ORG", "Agence France-Presse")


def test_reporters_and_editors_of_the_newsroom_are_no_entities(nlp):
    text = ("Chile's President Gabriel Boric on Friday named a new ambassador to China.\n\n"
            "(Reporting by Natalia Ramos; Editing by Sandra Maler)")
    assert [m.name for m in _mentions(nlp, text)] == ["Chile", "Gabriel Boric", "China"]


@pytest.mark.parametrize("text, canonical", [
    ("Teheran said on Thursday that the two ministers had met.", "Iran"),  # the capital acting: the country
    ("The two ministers arrived in Teheran on Thursday.", "Tehran"),  # the city, under the table's spelling
])
def test_a_capital_spelt_with_a_vowel_more_is_still_the_capital(nlp, text, canonical):
    m = _one(_mentions(nlp, text), "Teheran")
    assert (m.type, m.canonical) == ("GPE", canonical)


def test_where_someone_travels_to_is_a_place(nlp):
    m = _one(_mentions(nlp, "The Dalai Lama said on Sunday that he would travel to Ladakh."), "Ladakh")
    assert m.type == "GPE"


def test_a_person_the_model_missed_after_an_organisations_possessive_is_found(nlp):
    from spacy.tokens import Span

    doc = nlp("Al Jazeera's Marco Bellini, reporting from Quito, said the mood was calm.")
    # the model's miss as seen in real articles: the outlet tagged, the surname a product, the first name nothing
    doc.ents = [Span(doc, 0, 3, label="ORG"), Span(doc, 4, 5, label="PRODUCT"), Span(doc, 8, 9, label="GPE")]
    assert [(m.name, m.type) for m in entity_mentions(doc, "doc-1")] == [
        ("Al Jazeera", "ORG"), ("Marco Bellini", "PERSON"), ("Quito", "GPE")]


def test_a_title_joined_by_to_the_is_one_title(nlp):
    m = _one(_mentions(nlp, "The delegation included Adviser to the President Tesfaye Bekele and two envoys."),
             "Tesfaye Bekele")
    assert (m.type, m.title) == ("PERSON", "Adviser to the President")


def test_title_words_tagged_as_an_organisation_join_the_persons_title(nlp):
    mentions = _mentions(nlp, "Indian External Affairs Minister S. Jaishankar will visit Dhaka next week.")
    assert [(m.name, m.type, m.title) for m in mentions] == [
        ("Indian", "NORP", None), ("S. Jaishankar", "PERSON", "Indian External Affairs Minister"),
        ("Dhaka", "GPE", None)]


# ---------------------------------------------------------------- round 4: held-out news patterns


def _named(mentions):
    return [(m.name, m.type, m.canonical) for m in mentions]


@pytest.mark.parametrize("text, expected", [
    ("EU ministers met in Brussels on Monday, and the U.N. welcomed the plan.",
     [("EU", "ORG", "European Union"), ("Brussels", "GPE", "Brussels"), ("U.N.", "ORG", "United Nations")]),
    ("Leaders of Nato and Asean met.",
     [("Nato", "ORG", "North Atlantic Treaty Organization"),
      ("Asean", "ORG", "Association of Southeast Asian Nations")]),
    # the text spells the acronym out for something else: the text wins over the table
    ("The Gulf Cooperation Council (GCC) met. GCC members agreed, while the EU said nothing.",
     [("Gulf Cooperation Council", "ORG", "Gulf Cooperation Council"), ("GCC", "ORG", "Gulf Cooperation Council"),
      ("GCC", "ORG", "Gulf Cooperation Council"), ("EU", "ORG", "European Union")]),
])
def test_well_known_organisations_take_their_full_name(nlp, text, expected):
    assert _named(_mentions(nlp, text)) == expected


@pytest.mark.parametrize("text, expected", [
    ("Diplomats at the UN Security Council met on Monday. The Security Council then adopted a statement.",
     [("UN Security Council", "ORG", "United Nations Security Council"),
      ("Security Council", "ORG", "United Nations Security Council")]),
    ("Lawmakers in the United States Congress objected, but Congress later approved the deal.",
     [("United States Congress", "ORG", "United States Congress"), ("Congress", "ORG", "United States Congress")]),
])
def test_a_body_named_without_its_qualifier_joins_the_qualified_name(nlp, text, expected):
    assert _named(_mentions(nlp, text)) == expected


def test_a_bracketed_acronym_after_a_country_is_the_country(nlp):
    ms = _mentions(nlp, "The report accused the Democratic People's Republic of Korea (DPRK) of firing a missile.")
    assert _named(ms) == [("Democratic People's Republic of Korea", "GPE", "North Korea"),
                          ("DPRK", "GPE", "North Korea")]


@pytest.mark.parametrize("text, name, canonical, surface", [
    ("An official from Thailand's Ministry of Foreign Affairs confirmed it.",
     "Ministry of Foreign Affairs", "Thai Ministry of Foreign Affairs", "Thailand's Ministry of Foreign Affairs"),
    # no demonym in the table: the country follows the name
    ("An official from Portugal's Ministry of Foreign Affairs said the talks would go ahead.",
     "Ministry of Foreign Affairs", "Ministry of Foreign Affairs of Portugal",
     "Portugal's Ministry of Foreign Affairs"),
])
def test_a_state_body_takes_its_country_into_its_name(nlp, text, name, canonical, surface):
    m = _one(_mentions(nlp, text), name)
    assert (m.type, m.canonical, m.text) == ("ORG", canonical, surface)


@pytest.mark.parametrize("text, expected", [
    ("Troops were sent to Chonburi province after the protests.", [("Chonburi", "GPE", "Chonburi")]),
    ("Delegates from the Group of Seven and Africa attended.",
     [("Group of Seven", "ORG", "Group of Seven"), ("Africa", "LOC", "Africa")]),
    ("A new office was opened, said the Kenyan Ministry of Foreign and Diaspora Affairs.",
     [("Kenyan Ministry of Foreign and Diaspora Affairs", "ORG", "Kenyan Ministry of Foreign and Diaspora Affairs")]),
    ("Vice President Lindiwe Dube met ministers from the G7 and G20 groups.",
     [("Lindiwe Dube", "PERSON", "Lindiwe Dube"), ("G7", "ORG", "G7"), ("G20", "ORG", "G20")]),
    ("Two Russian Su-30 fighters flew over the strait.", [("Russian", "NORP", "Russian")]),
    ("The delegations signed three Memorandums of Cooperation on energy.",
     [("Memorandums of Cooperation", "ORG", "Memorandums of Cooperation")]),
])
def test_spans_are_cut_and_joined_where_the_model_errs(nlp, text, expected):
    assert _named(_mentions(nlp, text)) == expected


@pytest.mark.parametrize("text, expected", [
    ("He was joined by Cabinet Secretaries Dr Fred Mwangi (Interior) and Prof Ruth Kamau (Health).",
     [("Fred Mwangi", "Dr"), ("Ruth Kamau", "Prof")]),
    ("Kenyan President Daniel Otieno opened the talks. Later, President Otieno and the First Lady Grace Otieno "
     "hosted a dinner.",
     [("Daniel Otieno", "Kenyan President"), ("Daniel Otieno", "President"), ("Grace Otieno", "First Lady")]),
    ("Tumelo Sebego was appointed deputy minister on Friday, the office said.", [("Tumelo Sebego", None)]),
])
def test_people_the_model_misses_or_cuts_are_found(nlp, text, expected):
    people = [(m.canonical, m.title) for m in _mentions(nlp, text) if m.type == "PERSON"]
    assert people == expected


@pytest.mark.parametrize("text, expected", [
    ("Mining and Energy Minister Kagiso Molefe resigned, the presidency said.",
     [("Kagiso Molefe", "PERSON", "Kagiso Molefe")]),
    ("The Turkish General Staff said the jets had been warned ten times.",
     [("Turkish General Staff", "ORG", "Turkish General Staff")]),
    ("Leaders discussed security in the Indo-Pacific, the Yomiuri has reported.",
     [("Indo-Pacific", "LOC", "Indo-Pacific"), ("Yomiuri", "ORG", "Yomiuri")]),
])
def test_portfolios_bodies_regions_and_newspapers(nlp, text, expected):
    assert _named(_mentions(nlp, text)) == expected


@pytest.mark.parametrize("demonym, country", [
    ("Ugandan", "Uganda"), ("Omani", "Oman"), ("Sierra Leonean", "Sierra Leone"), ("Chadian", "Chad"),
])
def test_regular_demonyms_of_countries_the_table_leaves_out(demonym, country):
    assert country_of(demonym) == (country, "GPE")


@pytest.mark.parametrize("text, canonical", [
    ("They called for the separation of Washington-backed rebels from the militants.", "United States"),
    ("The reporters were Nairobi-based freelancers.", "Nairobi"),
])
def test_a_capital_before_backed_or_led_acts_and_before_based_is_the_city(nlp, text, canonical):
    m = _one(_mentions(nlp, text), text.split("-")[0].split()[-1])
    assert (m.type, m.canonical) == ("GPE", canonical)


@pytest.mark.parametrize("text, expected", [
    ("Ruto and his visiting Sierra Leonean counterpart, President Julius Bio, held talks.",
     [("Sierra Leonean", "NORP", "Sierra Leonean"), ("Julius Bio", "PERSON", "Julius Bio")]),
    ("The minister was accompanied by Amb Rose Achieng (Sports), Joe Otieno and Betty Wairimu.",
     [("Rose Achieng", "PERSON", "Rose Achieng"), ("Joe Otieno", "PERSON", "Joe Otieno"),
      ("Betty Wairimu", "PERSON", "Betty Wairimu")]),
    ("Crowds gathered at this year's Madaraka Day national celebrations.",
     [("Madaraka Day", "EVENT", "Madaraka Day")]),
])
def test_split_demonyms_bracketed_portfolios_and_holidays(nlp, text, expected):
    assert _named(_mentions(nlp, text)) == expected


@pytest.mark.parametrize("text, expected", [
    # the platform a statement went out on is an organisation, not a person
    ("\"We will not be meeting next week,\" the president said on Twitter.", [("Twitter", "ORG", "Twitter")]),
    ("The decision was announced on Twitter by the ministry of foreign affairs.", [("Twitter", "ORG", "Twitter")]),
    # a name heading an issue noun, or delayed, is an issue (an event), in every sentence that names it
    ("Parliament voted again on the Brexit delay.\n\nMinisters want to delay Brexit until the summer.",
     [("Parliament", "ORG", "Parliament"), ("Brexit", "EVENT", "Brexit"), ("Brexit", "EVENT", "Brexit")]),
])
def test_platforms_and_issues_are_no_persons(nlp, text, expected):
    assert _named(_mentions(nlp, text)) == expected


def test_a_caption_credit_is_neither_a_person_nor_an_organisation(nlp):
    text = "The minister met the envoy at the palace (right). Jane Holloway / Reuters\n\nThe talks lasted two hours."
    assert _named(_mentions(nlp, text)) == []


def test_a_surname_followed_by_who_makes_the_full_name_a_person(nlp):
    text = ("Among the ministers sworn in was Kwame Adebayo, a former senator.\n\n"
            "Adebayo, who lost the governorship race last year, returns to the cabinet.")
    assert _named(_mentions(nlp, text)) == [("Kwame Adebayo", "PERSON", "Kwame Adebayo"),
                                            ("Adebayo", "PERSON", "Kwame Adebayo")]


def test_a_body_takes_the_untagged_demonym_before_it(nlp):
    from spacy.tokens import Span
    doc = nlp("Officials met on Friday.\n\nThe Kenyan Ministry of Foreign Affairs announced on Tuesday a delay.")
    start = [t.text for t in doc].index("Ministry")
    doc.ents = [Span(doc, start, start + 4, label="ORG")]  # the model, misled by a headline, left the demonym out
    m = _one(entity_mentions(doc, "doc-1"), "Ministry of Foreign Affairs")
    assert (m.type, m.canonical, m.text) == ("ORG", "Kenyan Ministry of Foreign Affairs",
                                             "Kenyan Ministry of Foreign Affairs")


@pytest.mark.parametrize("text, expected", [
    # "Port" alone is tagged; the untagged word after it completes the place
    ("Upon leaving the Jackson International Airport in Port Moresby this afternoon, Marape was given a farewell.",
     [("Jackson International Airport", "ORG", "Jackson International Airport"),
      ("Port Moresby", "GPE", "Port Moresby"), ("Marape", "PERSON", "Marape")]),
    # a dateline's place in capitals, which the model left untagged
    ("HEAVY RAIN HITS THE COAST\n\nSEREMBAN, Aug 26 (Bernama) -- The chief minister expressed regret.",
     [("SEREMBAN", "GPE", "SEREMBAN"), ("Bernama", "ORG", "Bernama")]),
    # a kicker in capitals is no place
    ("BREAKING - The prime minister resigned on Friday.", []),
])
def test_places_cut_short_and_dateline_places(nlp, text, expected):
    assert _named(_mentions(nlp, text)) == expected


@pytest.mark.parametrize("text, short, full", [
    ("Brazilian President Luiz Inacio Lula da Silva spoke to reporters. Lula said the talks were friendly.",
     "Lula", "Luiz Inacio Lula da Silva"),
    ("Mexican President Enrique Pena Nieto will not visit Washington. The White House did not mention a possible "
     "visit by Pena Nieto.", "Pena Nieto", "Enrique Pena Nieto"),
])
def test_a_word_or_the_end_of_a_long_name_is_that_person(nlp, text, short, full):
    ms = [m for m in _mentions(nlp, text) if m.name == short]
    assert ms and {(m.type, m.canonical) for m in ms} == {("PERSON", full)}


def test_two_organisations_tagged_as_one_are_split_when_one_stands_alone(nlp):
    ms = _mentions(nlp, "Putin proposed to merge Gazprom and Naftogaz. Gazprom cut supplies to Ukraine in 2009.")
    assert {m.canonical for m in ms if m.type == "ORG"} == {"Gazprom", "Naftogaz"}
    whole = _mentions(nlp, "The Ministry of Industry and Trade said exports rose. Trade talks resume on Monday.")
    assert "Ministry of Industry and Trade" in {m.canonical for m in whole}


def test_a_title_case_headline_keeps_only_the_name_the_body_uses(nlp):
    ms = _mentions(nlp, "Albanese Kicks Off Global Diplomacy Tour\n\n"
                        "Prime Minister Anthony Albanese departed for Jakarta on Wednesday.")
    assert {m.name for m in ms if m.type == "PERSON"} == {"Albanese", "Anthony Albanese"}
    assert {m.canonical for m in ms if m.type == "PERSON"} == {"Anthony Albanese"}


@pytest.mark.parametrize("name, country", [
    ("Kigali", "Rwanda"), ("Ouagadougou", "Burkina Faso"), ("Tbilisi", "Georgia"), ("Beijing", "China"),
    ("Hamilton", None),  # Bermuda's capital is a surname far more often: small territories' capitals are left out
])
def test_capitals_of_every_country_come_from_geonames(name, country):
    found = country_of(name)
    assert (found[0] if found else None) == country


def test_the_end_of_a_long_name_used_with_its_particle_is_that_person(nlp):
    ms = _mentions(nlp, "President Sisi, Biden Discuss Gaza War\n\nOn Friday, President Abdel Fattah El Sisi "
                        "received a call from US President Joe Biden.\n\nPresident El Sisi reviewed the initiatives.")
    assert {m.canonical for m in ms if m.name in ("Sisi", "El Sisi", "Abdel Fattah El Sisi")} == {
        "Abdel Fattah El Sisi"}


def test_also_known_as_gives_the_alias_everywhere_in_the_article(nlp):
    ms = _mentions(nlp, "Indonesia's President Joko Widodo, also known as Jokowi, on Friday will meet Vietnamese "
                        "leaders. Ahead of Jokowi's trip, the minister spoke.")
    assert {(m.type, m.canonical) for m in ms if m.name == "Jokowi"} == {("PERSON", "Joko Widodo")}
