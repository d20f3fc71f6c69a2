"""CSV import of lines: French exports (Windows-1252, ";"), a message per refused row, and
nothing half-imported."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.urls import reverse

from regie.core.history import history_of
from regie.directory.tests.factories import SiteFactory
from regie.telephony.importing import MAX_BYTES, import_lines
from regie.telephony.models import Line, LineKind, SimCard, Technology
from regie.telephony.tests.factories import LineFactory, OperatorFactory, iccid

pytestmark = pytest.mark.django_db

HEADER = "Numéro;Type;Technologie;Site;Libellé;ICCID\r\n"


def _csv(*rows, header=HEADER, encoding="cp1252"):
    return (header + "".join(row + "\r\n" for row in rows)).encode(encoding)


@pytest.fixture
def mairie(db):
    return SiteFactory(name="Mairie de Melle")


def test_a_windows_1252_file_with_semicolons_is_imported(technician, mairie):
    data = _csv(
        "05 49 27 00 00;Alarme;Cuivre;Mairie de Melle;Alarme intrusion élémentaire;",
        f"06 12 34 56 78;Mobile;;mairie de melle;Portable du maire;{iccid(1)}",
        "05 49 27 00 01;Analogique;;Mairie de Melle;Fax accueil;",
    )
    report = import_lines(data=data, by=technician)
    assert report.refused == []
    assert report.imported is True
    assert report.created == 3
    alarm = Line.objects.get(number="+33549270000")
    assert (alarm.kind, alarm.technology, alarm.site, alarm.label) == (
        LineKind.ALARM,
        Technology.COPPER,
        mairie,
        "Alarme intrusion élémentaire",
    )
    # An analogue line without a technology is on copper.
    assert Line.objects.get(number="+33549270001").technology == Technology.COPPER
    sim = SimCard.objects.get()
    assert (sim.iccid, sim.line.number) == (iccid(1), "+33612345678")
    assert history_of(alarm).get().actor == technician


def test_utf8_with_commas_is_imported_too(technician):
    data = _csv(
        "05 49 27 00 00,SIP,IP,,Trunk",
        header="number,kind,technology,site,label\n",
        encoding="utf-8-sig",
    )
    report = import_lines(data=data, by=technician)
    assert report.created == 1
    assert Line.objects.get().kind == LineKind.SIP_TRUNK


def test_one_refused_row_means_nothing_is_imported(technician, mairie):
    wrong = iccid(2)[:-1] + str((int(iccid(2)[-1]) + 1) % 10)
    data = _csv(
        "05 49 27 00 00;Alarme;Cuivre;Mairie de Melle;;",
        "05 49;Alarme;Cuivre;Mairie de Melle;;",
        "05 49 27 00 02;Ascenseur;Cuivre;Mairie de Chizé;;",
        f"06 12 34 56 78;Mobile;;;;{wrong}",
        "05 49 27 00 03;Télex;;;;",
        "05 49 27 00 04;Analogique;;;;",
    )
    report = import_lines(data=data, by=technician)
    assert report.imported is False
    assert Line.objects.count() == 0
    assert SimCard.objects.count() == 0
    assert [(problem.line, problem.message) for problem in report.refused] == [
        (3, "Numéro : « 05 49 » n’est pas un numéro de téléphone possible (trop court)."),
        (4, "site inconnu « Mairie de Chizé »"),
        (
            5,
            f"ICCID : Le chiffre de contrôle de l’ICCID « {wrong} » est faux (Luhn) : "
            "vérifiez la saisie.",
        ),
        (6, "type inconnu « Télex »"),
    ]
    assert len(report.valid) == 2


def test_valid_rows_only_when_asked(technician):
    data = _csv("05 49 27 00 00;Alarme;Cuivre;;;", "abc;Alarme;;;;")
    report = import_lines(data=data, by=technician, valid_only=True)
    assert report.imported is True
    assert list(Line.objects.values_list("number", flat=True)) == ["+33549270000"]
    assert [problem.line for problem in report.refused] == [3]


def test_known_numbers_are_reported_and_skipped(technician):
    LineFactory(number="+33549270000", label="Déjà là")
    data = _csv("05 49 27 00 00;Alarme;;;Nouveau;", "05 49 27 00 05;Alarme;;;;")
    report = import_lines(data=data, by=technician)
    assert [(p.line, p.message) for p in report.duplicates] == [
        (2, "05 49 27 00 00 est déjà enregistré ; ligne ignorée.")
    ]
    assert report.created == 1
    assert Line.objects.get(number="+33549270000").label == "Déjà là"


def test_the_same_number_twice_in_the_file_is_refused(technician):
    data = _csv("05 49 27 00 00;Alarme;;;;", "0549270000;Ascenseur;;;;")
    report = import_lines(data=data, by=technician)
    assert [(p.line, p.message) for p in report.refused] == [
        (3, "le numéro figure déjà à la ligne 2 du fichier")
    ]
    assert Line.objects.count() == 0


def test_dry_run_writes_nothing(technician):
    report = import_lines(data=_csv("05 49 27 00 00;Alarme;;;;"), by=technician, dry_run=True)
    assert (len(report.valid), report.imported) == (1, False)
    assert Line.objects.count() == 0


def test_a_file_without_a_number_column_is_refused(technician):
    report = import_lines(data=b"Nom;Type\r\nx;Alarme\r\n", by=technician)
    assert report.file_error.startswith("Pas de colonne de numéro")
    assert Line.objects.count() == 0


def test_command_imports_with_the_given_operator(tmp_path, capsys):
    orange = OperatorFactory(name="Orange")
    path = tmp_path / "export.csv"
    path.write_bytes(_csv("05 49 27 00 00;Alarme;Cuivre;;;"))
    call_command("telephony", "import-lines", str(path), "--operator", "orange")
    assert Line.objects.get().operator_id == orange.pk
    assert "1 line(s) imported" in capsys.readouterr().out


def test_command_refuses_everything_when_a_row_is_wrong(tmp_path, capsys):
    path = tmp_path / "export.csv"
    path.write_bytes(_csv("05 49 27 00 00;Alarme;;;;", "05 49;Alarme;;;;"))
    with pytest.raises(CommandError, match="Nothing imported"):
        call_command("telephony", "import-lines", str(path))
    assert "line 3: Numéro : « 05 49 »" in capsys.readouterr().err
    assert Line.objects.count() == 0


def test_command_dry_run(tmp_path):
    path = tmp_path / "export.csv"
    path.write_bytes(_csv("05 49 27 00 00;Alarme;;;;"))
    call_command("telephony", "import-lines", str(path), "--dry-run")
    assert Line.objects.count() == 0


def test_upload_page_imports_and_reports(client, technician):
    client.force_login(technician)
    upload = SimpleUploadedFile("export.csv", _csv("05 49 27 00 00;Alarme;;;;", "bad;Alarme;;;;"))
    response = client.post(reverse("telephony:line-import"), {"file": upload})
    assert response.status_code == 200
    assert "1 ligne refusée : rien n’a été importé." in response.content.decode()
    assert "Ligne 3" in response.content.decode()
    assert Line.objects.count() == 0
    upload = SimpleUploadedFile("export.csv", _csv("05 49 27 00 00;Alarme;;;;", "bad;Alarme;;;;"))
    response = client.post(reverse("telephony:line-import"), {"file": upload, "valid_only": "on"})
    assert Line.objects.count() == 1


def test_upload_page_refuses_an_oversized_file(client, technician):
    client.force_login(technician)
    upload = SimpleUploadedFile("big.csv", HEADER.encode() + b"x" * (MAX_BYTES + 1))
    response = client.post(reverse("telephony:line-import"), {"file": upload})
    assert response.status_code == 400
    assert response.context["form"].errors["file"] == [
        "Le fichier est trop volumineux (2 Mo au plus)."
    ]
    assert Line.objects.count() == 0


def test_upload_page_refuses_a_huge_body_before_reading_it(client, technician):
    client.force_login(technician)
    upload = SimpleUploadedFile("big.csv", HEADER.encode() + b"x" * (MAX_BYTES + 100 * 1024))
    response = client.post(reverse("telephony:line-import"), {"file": upload})
    assert response.status_code == 413
    assert "Le fichier est trop volumineux (2 Mo au plus)." in response.content.decode()
    assert Line.objects.count() == 0


@pytest.mark.parametrize("persona", ["reader", "correspondent", "staff_user"])
def test_only_managers_import(request, client, persona):
    client.force_login(request.getfixturevalue(persona))
    upload = SimpleUploadedFile("export.csv", _csv("05 49 27 00 00;Alarme;;;;"))
    assert client.post(reverse("telephony:line-import"), {"file": upload}).status_code == 403
    assert Line.objects.count() == 0
