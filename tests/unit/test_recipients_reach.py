"""Who on a level of recipients can be told (services/recipients.reach), on a real database:
numbers in the forms people type, tags without case, channels, and the sentence saying why."""

from __future__ import annotations

from app.services import config_io, contacts, emails, recipients, sources

SARI = "+6281111111111"
BUDI = "+6281234567890"
GROUP = "120363111111111111@g.us"


def people(admin) -> None:
    config_io.import_config(admin, {"version": 1, "contacts": [
        {"name": "Sari", "phone": SARI, "allowed": False, "tags": ["Shift"]},
        {"name": "Budi", "phone": BUDI, "allowed": True, "tags": ["ops", "shift"]},
        {"name": "Boiler", "jid": GROUP, "allowed": True, "tags": []}]})


def test_a_level_names_its_channels_and_whatsapp_when_it_names_none():
    assert recipients.channels_of({"contacts": []}) == ["whatsapp"]
    assert recipients.channels_of({"channels": ["email"]}) == ["email"]
    assert recipients.channels_of({"channels": ["email", "whatsapp"]}) == ["whatsapp", "email"]
    assert recipients.channels_of({"channels": ["sms"]}) == ["whatsapp"]
    assert recipients.channels_of({"channels": "email"}) == ["whatsapp"]


def test_numbers_are_found_in_every_form_people_type(db, admin):
    people(admin)
    directory = recipients.Directory()
    for typed in (BUDI, "081234567890", "6281234567890", "+62 812-3456-7890",
                  "6281234567890@s.whatsapp.net"):
        assert directory.find(typed)["name"] == "Budi", typed
    assert directory.find("+6289999999999") is None
    assert directory.find(GROUP)["kind"] == "group"
    assert [c["name"] for c in directory.tagged("shift")] == ["Budi", "Sari"]


def test_who_can_be_told_and_why_the_others_cannot(db, admin, smtp_server):
    people(admin)
    directory = recipients.Directory()
    found = recipients.reach({"contacts": [SARI, "+6289999999999"], "tags": ["shift", "lab"],
                              "groups": [GROUP]}, directory)
    assert found.told == ("Budi", "Boiler")
    assert found.reasons == ("Sari is not approved in Contacts",
                             "“+6289999999999” is not in Contacts",
                             "nobody in Contacts has the tag lab")
    assert not found.nobody
    no_route = recipients.reach({"tags": ["ops"]}, directory, channels=["email"])
    assert no_route.nobody and no_route.reasons == (
        "no e-mail can be sent (No e-mail connection is set up: add one in Connections)",)
    sources.save_source(admin, None, name="Plant mail", plugin="email", active=True,
                        config=smtp_server.config())
    directory = recipients.Directory()  # the connection is asked once per directory
    by_mail = recipients.reach({"tags": ["ops"], "groups": [GROUP]}, directory,
                               channels=["email"])
    assert by_mail.nobody and by_mail.sentence(2) == (
        "Nobody on level 2 can be told: Budi has no e-mail address in Contacts; the group "
        "Boiler cannot get e-mail.")
    emails.set_email(admin, contacts.find_contact(BUDI)["id"], "budi@plant.example")
    fresh = recipients.Directory()  # e-mail addresses are read once per directory
    assert recipients.reach({"tags": ["ops"]}, fresh, channels=["email"]).told == ("Budi",)


def test_many_alarms_sharing_a_level_are_worked_out_once(db, admin):
    people(admin)
    check = recipients.ReachCheck()
    alarms = [{"id": str(n), "active": True, "trigger_id": None,
               "config": {"recipients": [{"contacts": [SARI]}]}} for n in range(100)]
    assert all(check.alarm(a)[1].reasons == ("Sari is not approved in Contacts",)
               for a in alarms)
    assert check.level({"contacts": [SARI]}) is check.level({"contacts": [SARI]})
    assert check.alarm({**alarms[0], "active": False}) == {}
    assert check.level({"contacts": [], "groups": []}) is None  # names nobody: nothing to say
