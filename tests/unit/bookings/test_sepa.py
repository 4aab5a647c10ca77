"""SEPA direct debit: the mandate's rules (domain/mandates.py), the account checks (sepa/accounts.py)
and the pain.008 file (sepa/debits.py), validated against the official XSD kept in tests/data/sepa."""

from datetime import date
from decimal import Decimal
from pathlib import Path
from xml.etree import ElementTree

import pytest
import xmlschema

from services.bookings.domain import mandates
from services.bookings.sepa import accounts
from services.bookings.sepa.debits import PAIN_008_001_02, PAIN_008_001_08, Creditor, Debit, pain008

XSD = Path(__file__).resolve().parents[2] / "data" / "sepa"
NS = {"p": "urn:iso:std:iso:20022:tech:xsd:pain.008.001.02"}
CREDITOR = Creditor("Crèche Cocoon'Age", "FR72ZZZ123456", "FR76 3000 6000 0112 3456 7890 189", "AGRIFRPPXXX")
FAMILY_IBAN = "DE89370400440532013000"
# an IBAN whose own check digits are right but whose French RIB key (the last 2 digits) is wrong
WRONG_RIB_KEY = "FR2830006000011234567890180"


def debit(**changes):
    fields = {
        "invoice_number": "F-2026-000042",
        "amount": Decimal("264.62"),
        "mandate_reference": "COCOON-3F2A9C1B0D4E-1",
        "mandate_signed_on": date(2026, 1, 2),
        "debtor_name": "Élodie Dupont",
        "iban": FAMILY_IBAN,
        **changes,
    }
    return Debit(**fields)


def parsed(xml, schema=PAIN_008_001_02):
    document = xmlschema.XMLSchema(str(XSD / f"{schema}.xsd"))
    document.validate(xml.decode())  # raises on any difference from the XSD
    return ElementTree.fromstring(xml)


class TestMandateRules:
    def test_the_reference_is_the_prefix_the_familys_short_id_and_the_number(self):
        family = "3f2a9c1b-0d4e-4a1b-9c8d-7e6f5a4b3c2d"
        assert mandates.reference(family, 1) == "COCOON-3F2A9C1B0D4E-1"
        assert mandates.reference(family, 2) == "COCOON-3F2A9C1B0D4E-2"
        assert len(mandates.reference(family, 10**9)) <= 35

    def test_the_iban_is_shown_masked_but_its_country_and_last_4(self):
        assert mandates.masked("FR7630006000011234567890189") == "FR76 •••• •••• 0189"
        assert mandates.masked("") == "••••"

    def test_a_mandate_is_signed_today_or_before_not_tomorrow(self):
        today = date(2026, 12, 7)
        assert mandates.signed_on_errors(today, today) == {}
        assert mandates.signed_on_errors(date(2026, 12, 6), today) == {}
        assert mandates.signed_on_errors(date(2026, 12, 8), today) == {"signed_on": [mandates.NOT_IN_FUTURE]}

    def test_creditor_identifiers_are_checked_mod_97(self):
        assert mandates.creditor_identifier_valid("FR72ZZZ123456")
        assert mandates.creditor_identifier_valid("DE98ZZZ09999999999")  # the Bundesbank's test identifier
        assert mandates.creditor_identifier_valid("fr72 zzz 123456")
        assert not mandates.creditor_identifier_valid("FR73ZZZ123456")
        assert not mandates.creditor_identifier_valid("FR72ZZ")
        assert mandates.creditor_identifier("FR", "123456") == "FR72ZZZ123456"

    def test_first_debit_until_one_was_collected(self):
        assert mandates.first_debit(earlier_collected=0) is True
        assert mandates.first_debit(earlier_collected=1) is False


class TestAccounts:
    def test_an_iban_is_stored_without_spaces_in_upper_case(self):
        assert accounts.checked_iban("fr76 3000 6000 0112 3456 7890 189") == ("FR7630006000011234567890189", None)

    @pytest.mark.parametrize(
        ("typed", "says"),
        [
            ("FR7630006000011234567890188", "clé de contrôle de l'IBAN"),
            (WRONG_RIB_KEY, "clé RIB"),
            ("FR763000600001123456789", "nombre de caractères"),
            ("US64SVBKUS6S3300958879", "code d'un pays"),
            ("", "deux lettres du pays"),
            ("SA0380000000608010167519", "zone SEPA"),
        ],
    )
    def test_a_wrong_iban_gets_a_french_sentence_saying_what_is_wrong(self, typed, says):
        iban, message = accounts.checked_iban(typed)
        assert iban is None and says in message

    def test_a_bic_is_checked_and_normalised(self):
        assert accounts.checked_bic("agri frpp xxx") == ("AGRIFRPPXXX", None)
        assert accounts.checked_bic("BNP")[1] == accounts.BIC_INVALID


class TestPain008:
    def test_the_file_is_valid_against_the_pain_008_001_02_xsd_and_carries_each_invoice(self):
        xml = pain008(
            CREDITOR,
            date(2027, 1, 5),
            [debit(first=True), debit(invoice_number="F-2026-000043", amount=Decimal("52.92"), bic="COBADEFFXXX")],
        )
        root = parsed(xml)
        assert root.findtext("p:CstmrDrctDbtInitn/p:GrpHdr/p:NbOfTxs", namespaces=NS) == "2"
        assert root.findtext("p:CstmrDrctDbtInitn/p:GrpHdr/p:CtrlSum", namespaces=NS) == "317.54"
        blocks = root.findall("p:CstmrDrctDbtInitn/p:PmtInf", NS)
        assert [b.findtext("p:PmtTpInf/p:SeqTp", namespaces=NS) for b in blocks] == ["FRST", "RCUR"]
        assert {b.findtext("p:ReqdColltnDt", namespaces=NS) for b in blocks} == {"2027-01-05"}
        first = blocks[0].find("p:DrctDbtTxInf", NS)
        assert first.findtext("p:PmtId/p:EndToEndId", namespaces=NS) == "F-2026-000042"
        assert first.findtext("p:InstdAmt", namespaces=NS) == "264.62"
        assert first.findtext("p:DrctDbtTx/p:MndtRltdInf/p:MndtId", namespaces=NS) == "COCOON-3F2A9C1B0D4E-1"
        assert first.findtext("p:DrctDbtTx/p:MndtRltdInf/p:DtOfSgntr", namespaces=NS) == "2026-01-02"
        assert first.findtext("p:Dbtr/p:Nm", namespaces=NS) == "Elodie Dupont"  # SEPA's Latin characters
        assert first.findtext("p:DbtrAcct/p:Id/p:IBAN", namespaces=NS) == FAMILY_IBAN
        assert first.findtext("p:RmtInf/p:Ustrd", namespaces=NS) == "Facture F-2026-000042"
        assert first.findtext("p:DbtrAgt/p:FinInstnId/p:Othr/p:Id", namespaces=NS) == "NOTPROVIDED"
        creditor_id = blocks[0].findtext("p:CdtrSchmeId/p:Id/p:PrvtId/p:Othr/p:Id", namespaces=NS)
        assert creditor_id == "FR72ZZZ123456"
        assert blocks[0].findtext("p:CdtrAcct/p:Id/p:IBAN", namespaces=NS) == "FR7630006000011234567890189"

    def test_the_2019_version_is_valid_against_its_own_xsd(self):
        xml = pain008(CREDITOR, date(2027, 1, 5), [debit()], schema=PAIN_008_001_08)
        assert b"pain.008.001.08" in xml
        parsed(xml, PAIN_008_001_08)

    def test_the_creditor_bic_comes_from_its_iban_when_not_given(self):
        no_bic = Creditor("Cocoon'Age", "FR72ZZZ123456", "FR7630006000011234567890189")
        xml = pain008(no_bic, date(2027, 1, 5), [debit()])
        assert b"<BIC>AGRIFRPPXXX</BIC>" in xml

    @pytest.mark.parametrize(
        ("changes", "says"),
        [
            ({"amount": Decimal("0")}, "amount must be positive"),
            ({"amount": Decimal("-3")}, "amount must be positive"),
            ({"amount": Decimal("1.005")}, "at most 2 decimals"),
            ({"iban": WRONG_RIB_KEY}, "debtor IBAN"),
            ({"bic": "XX"}, "BIC"),
            ({"mandate_reference": "X" * 36}, "mandate reference"),
        ],
    )
    def test_a_debit_the_bank_would_refuse_is_refused_naming_the_invoice(self, changes, says):
        with pytest.raises(ValueError, match=says) as refused:
            pain008(CREDITOR, date(2027, 1, 5), [debit(**changes)])
        assert "F-2026-000042" in str(refused.value)

    def test_a_wrong_creditor_identifier_or_no_debit_is_refused(self):
        with pytest.raises(ValueError, match="creditor identifier"):
            pain008(Creditor("Cocoon'Age", "FR73ZZZ123456", CREDITOR.iban, "AGRIFRPPXXX"), date(2027, 1, 5), [debit()])
        with pytest.raises(ValueError, match="at least one debit"):
            pain008(CREDITOR, date(2027, 1, 5), [])
