"""The demo fleet: suppliers, contracts, makes and models, and ~1,100 assets on the sites.

Called by :func:`regie.demo.territory.build_territory` once sites and people exist, inside
its transaction, with its random generator.
"""

from __future__ import annotations

import random
import string
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from django.db.models import Max

from regie.assets.models import (
    Asset,
    AssetKind,
    AssetModel,
    AssetStatus,
    AssetType,
    Contract,
    ContractKind,
    Manufacturer,
    Supplier,
)
from regie.directory.models import Department, Person, Room, Site, SiteKind

_RoomFinder = Callable[..., Room | None]

DIGITS = string.digits
ALNUM = string.ascii_uppercase + string.digits
HEX = "0123456789ABCDEF"

# How each maker's serial numbers look: (prefix, length of the random part, alphabet).
SERIAL_FORMATS: dict[str, tuple[str, int, str]] = {
    "Dell": ("", 7, ALNUM),
    "HP": ("5CG", 7, ALNUM),
    "HPE": ("CZJ", 7, ALNUM),
    "Lenovo": ("PF", 6, ALNUM),
    "Apple": ("", 10, ALNUM),
    "Samsung": ("R5", 9, ALNUM),
    "Cisco": ("FOC", 8, ALNUM),
    "Ubiquiti": ("", 12, HEX),
    "Fortinet": ("FGT", 13, DIGITS),
    "Teltonika": ("11", 8, DIGITS),
    "Yealink": ("", 16, DIGITS),
    "Ricoh": ("3", 10, DIGITS),
    "Kyocera": ("W", 9, ALNUM),
    "Brother": ("E7", 8, DIGITS),
    "Speechi": ("ST", 10, DIGITS),
    "Promethean": ("AP", 10, DIGITS),
    "APC": ("AS", 10, DIGITS),
    "Eaton": ("G", 9, ALNUM),
}

# Per inventory prefix: (maker, model, lowest price, highest price), the first the most common.
CATALOGUE: dict[str, tuple[tuple[str, str, int, int], ...]] = {
    "PC": (
        ("Dell", "OptiPlex 7010 SFF", 720, 890),
        ("Dell", "OptiPlex 7020 Micro", 760, 940),
        ("HP", "EliteDesk 800 G6 SFF", 690, 860),
        ("Lenovo", "ThinkCentre M70q Gen 3", 640, 810),
    ),
    "PORT": (
        ("HP", "EliteBook 840 G10", 1150, 1480),
        ("Lenovo", "ThinkPad T14 Gen 3", 1050, 1390),
        ("Dell", "Latitude 5440", 980, 1290),
    ),
    "SRV": (
        ("Dell", "PowerEdge R750", 9800, 14500),
        ("Dell", "PowerEdge T350", 3400, 5200),
        ("HPE", "ProLiant DL380 Gen10", 7800, 11200),
    ),
    "FW": (("Fortinet", "FortiGate 60F", 780, 990), ("Fortinet", "FortiGate 40F", 460, 620)),
    "ROUTER": (("Teltonika", "RUTX11", 290, 340),),
    "SW": (
        ("Cisco", "CBS350-24P-4G", 620, 840),
        ("Cisco", "Catalyst 9200L-48P-4G", 2900, 3600),
        ("Ubiquiti", "UniFi USW-24-PoE", 380, 450),
    ),
    "AP": (("Ubiquiti", "UniFi U6 Pro", 160, 190), ("Ubiquiti", "UniFi U6 Lite", 95, 120)),
    "COPIER": (
        ("Ricoh", "IM C3000", 0, 0),
        ("Kyocera", "TASKalfa 2554ci", 0, 0),
    ),
    "PRINTER": (("Brother", "HL-L5100DN", 240, 290), ("Brother", "MFC-L8900CDW", 520, 610)),
    "TEL": (
        ("Yealink", "T54W", 140, 170),
        ("Yealink", "T33G", 70, 90),
        ("Yealink", "W73P", 120, 150),
    ),
    "MOB": (
        ("Samsung", "Galaxy A54 5G", 330, 410),
        ("Samsung", "Galaxy XCover 6 Pro", 420, 510),
        ("Apple", "iPhone 13", 640, 760),
    ),
    "TAB": (
        ("Apple", 'iPad 10,2" (9e génération)', 360, 420),
        ("Samsung", "Galaxy Tab A8", 210, 260),
    ),
    "TNI": (
        ("Speechi", 'SpeechiTouch 75"', 2700, 3300),
        ("Promethean", 'ActivPanel 9 75"', 3100, 3800),
    ),
    "OND": (
        ("APC", "Smart-UPS 1500 VA", 590, 720),
        ("APC", "Back-UPS Pro 900", 160, 210),
        ("Eaton", "5P 1550i", 560, 690),
    ),
}

# Catalogue keys whose assets are of another inventory type.
TYPE_OF_KEY = {"FW": "NET", "ROUTER": "NET", "SW": "NET", "AP": "NET", "COPIER": "IMP"}
TYPE_OF_KEY |= {"PRINTER": "IMP"}
WARRANTY_YEARS = {"SRV": 5, "NET": 5, "TNI": 5, "OND": 3, "MOB": 2, "TAB": 2}
COMPUTER_PREFIXES = {"PC", "PORT", "SRV", "VM"}


@dataclass(frozen=True)
class SupplierPlan:
    name: str
    website: str = ""
    notes: str = ""


SUPPLIERS = (
    SupplierPlan("UGAP", "https://www.ugap.fr", "Centrale d'achat public : postes, licences."),
    SupplierPlan("Dell Technologies", "https://www.dell.com/fr-fr"),
    SupplierPlan("Orange Business", "https://www.orange-business.com/fr"),
    SupplierPlan("Bouygues Telecom Entreprises", "https://www.bouyguestelecom-entreprises.fr"),
    SupplierPlan("Ricoh France", "https://www.ricoh.fr"),
    SupplierPlan("Berger-Levrault", "https://www.berger-levrault.com"),
    SupplierPlan("OVHcloud", "https://www.ovhcloud.com/fr/"),
    SupplierPlan(
        "Atelier Numérique du Mellois",
        notes="Intégrateur local (nom inventé pour la démo) : réseau, serveurs, écoles.",
    ),
)

# (name, kind, supplier, start in days before today, length in years, notice days, yearly €)
CONTRACTS = (
    (
        "Location et maintenance des copieurs",
        ContractKind.LEASING,
        "Ricoh France",
        800,
        5,
        180,
        28400,
    ),
    ("Licences Microsoft 365", ContractKind.LICENCE, "UGAP", 320, 1, 60, 41250),
    ("Téléphonie fixe et mobile", ContractKind.TELECOM, "Orange Business", 1100, 4, 90, 36800),
    (
        "Accès internet et interconnexion des sites",
        ContractKind.TELECOM,
        "Bouygues Telecom Entreprises",
        600,
        3,
        90,
        22600,
    ),
    (
        "Hébergement des logiciels finances et RH",
        ContractKind.HOSTING,
        "Berger-Levrault",
        1400,
        4,
        180,
        14900,
    ),
    (
        "Maintenance des serveurs et de la sauvegarde",
        ContractKind.MAINTENANCE,
        "Atelier Numérique du Mellois",
        500,
        3,
        90,
        9800,
    ),
    (
        "Support et licences des pare-feux FortiGate",
        ContractKind.SUPPORT,
        "Atelier Numérique du Mellois",
        700,
        2,
        60,
        6300,
    ),
    (
        "Extension de garantie des serveurs PowerEdge",
        ContractKind.WARRANTY,
        "Dell Technologies",
        900,
        3,
        30,
        3200,
    ),
    ("Antivirus et EDR des postes", ContractKind.LICENCE, "UGAP", 200, 3, 90, 7500),
    ("Hébergement du site internet", ContractKind.HOSTING, "OVHcloud", 1500, 5, 30, 1200),
    (
        "Maintenance des TNI des écoles",
        ContractKind.MAINTENANCE,
        "Atelier Numérique du Mellois",
        400,
        3,
        90,
        4800,
    ),
)


class _FleetBuilder:
    """Accumulates unsaved assets with unique numbers, serials and UUIDs."""

    def __init__(self, *, rng: random.Random, today: date) -> None:
        self.rng = rng
        self.today = today
        self.assets: list[Asset] = []
        self.types = _asset_types()
        self.suppliers = _create_suppliers()
        self.contracts = _create_contracts(self.suppliers, today)
        self.models = _create_models(self.types)
        self.serials: set[tuple[str, str]] = set()
        self.uuids: set[str] = set()
        self.name_counters: dict[str, int] = {}
        # New numbers follow the highest id, so they can never collide with the numbers
        # save_asset() derives from the ids of assets created later.
        self.next_number = (Asset.objects.aggregate(top=Max("id"))["top"] or 0) + 1
        self.order_number = 0

    def next_name(self, stem: str) -> str:
        count = self.name_counters.get(stem, 0) + 1
        self.name_counters[stem] = count
        return f"{stem}-{count:04d}"

    def serial(self, maker: str) -> str:
        prefix, length, alphabet = SERIAL_FORMATS[maker]
        while True:
            value = prefix + "".join(self.rng.choice(alphabet) for _ in range(length))
            if (maker, value) not in self.serials:
                self.serials.add((maker, value))
                return value

    def hardware_uuid(self) -> str:
        while True:
            value = str(uuid.UUID(int=self.rng.getrandbits(128), version=4)).upper()
            if value not in self.uuids:
                self.uuids.add(value)
                return value

    def add(
        self,
        key: str,
        *,
        name: str,
        site: Site | None,
        room: Room | None = None,
        person: Person | None = None,
        department: Department | None = None,
        status: str = AssetStatus.IN_SERVICE,
        contract: str | None = None,
        supplier: str | None = None,
        choice: int | None = None,
        old: bool = False,
        notes: str = "",
    ) -> Asset:
        prefix = TYPE_OF_KEY.get(key, key)
        asset_type = self.types[prefix]
        rng = self.rng
        manufacturer: Manufacturer | None = None
        model: AssetModel | None = None
        serial = price = ""
        if key in CATALOGUE:
            options = CATALOGUE[key]
            if choice is None:
                # The first model of each list is the most common.
                choice = 0 if rng.random() < 0.5 else rng.randrange(len(options))
            maker, model_name, low, high = options[choice]
            model = self.models[(maker, model_name)]
            manufacturer = model.manufacturer
            serial = self.serial(maker)
            if high:
                price = f"{rng.randint(low, high)}.{rng.choice(('00', '50', '90', '99'))}"
        days_ago = rng.randint(5 * 365, 8 * 365) if old else rng.randint(20, 7 * 365)
        purchased = self.today - timedelta(days=days_ago)
        self.order_number += 1
        asset = Asset(
            inventory_number=f"{asset_type.prefix}-{self.next_number:06d}",
            name=name,
            asset_type=asset_type,
            manufacturer=manufacturer,
            model=model,
            serial_number=serial,
            hardware_uuid=self.hardware_uuid() if prefix in COMPUTER_PREFIXES else "",
            status=status,
            site=site,
            room=room,
            assigned_to=person,
            department=department or (person.department if person else None),
            purchase_date=purchased,
            purchase_price=Decimal(price) if price else None,
            supplier=self.suppliers[supplier or _default_supplier(key, maker_of(model), rng)],
            order_reference=f"BC-{purchased.year}-{self.order_number:04d}",
            warranty_end=purchased + timedelta(days=365 * WARRANTY_YEARS.get(prefix, 3)),
            contract=self.contracts[contract] if contract else None,
            notes=notes,
        )
        self.next_number += 1
        self.assets.append(asset)
        return asset


def maker_of(model: AssetModel | None) -> str:
    return model.manufacturer.name if model is not None else ""


def _default_supplier(key: str, maker: str, rng: random.Random) -> str:
    if key in {"PC", "PORT"}:
        return "Dell Technologies" if maker == "Dell" and rng.random() < 0.4 else "UGAP"
    if key in {"TEL", "MOB"}:
        return "Orange Business"
    if key == "COPIER":
        return "Ricoh France"
    if key == "SRV" and maker == "Dell":
        return "Dell Technologies"
    return "Atelier Numérique du Mellois"


def _asset_types() -> dict[str, AssetType]:
    defaults = {
        "PC": ("Poste fixe", AssetKind.DESKTOP),
        "PORT": ("Ordinateur portable", AssetKind.LAPTOP),
        "SRV": ("Serveur", AssetKind.SERVER),
        "VM": ("Machine virtuelle", AssetKind.VIRTUAL_MACHINE),
        "NET": ("Équipement réseau", AssetKind.NETWORK_DEVICE),
        "IMP": ("Imprimante", AssetKind.PRINTER),
        "TEL": ("Téléphone fixe", AssetKind.DESK_PHONE),
        "MOB": ("Téléphone mobile", AssetKind.MOBILE_PHONE),
        "TAB": ("Tablette", AssetKind.TABLET),
        "TNI": ("Tableau numérique interactif", AssetKind.INTERACTIVE_WHITEBOARD),
        "OND": ("Onduleur", AssetKind.UPS),
    }
    types = {t.prefix: t for t in AssetType.objects.filter(prefix__in=defaults)}
    for prefix, (name, kind) in defaults.items():
        if prefix not in types:  # an installation may have deleted a seeded type
            types[prefix] = AssetType.objects.create(prefix=prefix, name=name, kind=kind)
    return types


def _create_suppliers() -> dict[str, Supplier]:
    suppliers = [
        Supplier(name=plan.name, website=plan.website, notes=plan.notes) for plan in SUPPLIERS
    ]
    Supplier.objects.bulk_create(suppliers)
    return {supplier.name: supplier for supplier in suppliers}


def _create_contracts(suppliers: dict[str, Supplier], today: date) -> dict[str, Contract]:
    contracts: list[Contract] = []
    for name, kind, supplier, days_ago, years, notice, cost in CONTRACTS:
        start = today - timedelta(days=days_ago)
        contracts.append(
            Contract(
                name=name,
                kind=kind,
                supplier=suppliers[supplier],
                reference=f"MP-{start.year}-{len(contracts) + 1:03d}",
                start_date=start,
                end_date=start.replace(year=start.year + years) - timedelta(days=1),
                notice_period_days=notice,
                yearly_cost=Decimal(cost),
            )
        )
    Contract.objects.bulk_create(contracts)
    return {contract.name: contract for contract in contracts}


def _create_models(types: dict[str, AssetType]) -> dict[tuple[str, str], AssetModel]:
    makers = sorted({maker for options in CATALOGUE.values() for maker, *_ in options})
    manufacturers = {}
    for maker in makers:
        manufacturers[maker], _created = Manufacturer.objects.get_or_create(
            name__iexact=maker, defaults={"name": maker}
        )
    models: dict[tuple[str, str], AssetModel] = {}
    for key, options in CATALOGUE.items():
        for maker, model_name, _low, _high in options:
            models[(maker, model_name)], _created = AssetModel.objects.get_or_create(
                manufacturer=manufacturers[maker],
                name=model_name,
                defaults={"asset_type": types[TYPE_OF_KEY.get(key, key)]},
            )
    return models


# --- placing the equipment -------------------------------------------------------------------

SERVERS_AT_HEAD_OFFICE = (
    ("SRV-HYPERV1", 0),
    ("SRV-HYPERV2", 0),
    ("SRV-HYPERV3", 0),
    ("SRV-SAUVEGARDE", 1),
    ("SRV-FICHIERS", 2),
    ("SRV-SUPERVISION", 1),
)
VIRTUAL_MACHINES = (
    "VM-AD01",
    "VM-AD02",
    "VM-FICHIERS",
    "VM-IMPRESSION",
    "VM-WSUS",
    "VM-FINANCES",
    "VM-GRH",
    "VM-REGIE",
)
FRANCE_SERVICES_CODES = ("CELLES", "CHEF", "LEZAY", "SAUZE")

# Per site kind: (switches, Wi-Fi access points, copiers, small printers, UPSs)
NETWORK_PLAN: dict[str, tuple[int, int, int, int, int]] = {
    SiteKind.HEAD_OFFICE: (4, 6, 3, 2, 3),
    SiteKind.FRANCE_SERVICES: (2, 3, 1, 1, 1),
    SiteKind.SCHOOL: (1, 2, 1, 1, 1),
    SiteKind.MEDIA_LIBRARY: (1, 2, 1, 0, 1),
    SiteKind.POOL: (1, 1, 1, 0, 1),
    SiteKind.WASTE_CENTRE: (0, 0, 0, 1, 0),
    SiteKind.NURSERY: (1, 1, 1, 0, 1),
    SiteKind.TECHNICAL: (2, 1, 1, 1, 1),
    SiteKind.OTHER: (1, 1, 1, 0, 1),
}
# Shared (unassigned) workstations: public computers, reception desks, workshops.
SHARED_DESKTOPS: dict[str, tuple[str, int]] = {
    SiteKind.FRANCE_SERVICES: ("Espace numérique", 3),
    SiteKind.MEDIA_LIBRARY: ("Espace multimédia", 4),
    SiteKind.POOL: ("Accueil", 1),
    SiteKind.WASTE_CENTRE: ("Local gardien", 1),
    SiteKind.TECHNICAL: ("Atelier", 2),
    SiteKind.NURSERY: ("Salle de vie", 1),
    SiteKind.HEAD_OFFICE: ("Accueil", 2),
}
DESKTOP_TARGET = 250
LAPTOP_TARGET = 40
FIELD_DEPARTMENTS = {"DSI", "VOIR", "DECH", "ST", "DG"}


def build_fleet(*, rng: random.Random, today: date, people: list[Person]) -> int:
    """Create the demo suppliers, contracts, models and assets; return the number of assets."""
    from regie.demo.territory import is_desk_job  # the territory module imports this one

    fleet = _FleetBuilder(rng=rng, today=today)
    sites = list(Site.objects.order_by("pk"))
    rooms = {(room.site_id, room.name): room for room in Room.objects.filter(site__in=sites)}
    head_office = next(site for site in sites if site.kind == SiteKind.HEAD_OFFICE)

    def room(site: Site, *names: str) -> Room | None:
        for name in (*names, "Bureau", "Accueil", "Local technique"):
            if (site.pk, name) in rooms:
                return rooms[(site.pk, name)]
        return None

    office_names = ("Bureau 101", "Bureau 102", "Bureau 103", "Bureau 201", "Bureau 202")
    desk_people = [p for p in people if p.active and is_desk_job(p)]
    for index, person in enumerate(desk_people):
        assert person.site is not None  # noqa: S101  # every demo person has a site
        if person.site == head_office:
            in_it = person.department is not None and person.department.code == "DSI"
            where = room(head_office, "Service informatique" if in_it else office_names[index % 5])
        else:
            where = room(person.site, "Bureau de direction", "Bureau", "Accueil")
        status = AssetStatus.IN_REPAIR if rng.random() < 0.02 else AssetStatus.IN_SERVICE
        fleet.add(
            "PC",
            name=fleet.next_name("POSTE"),
            site=person.site,
            room=where,
            person=person,
            status=status,
        )
        fleet.add(
            "TEL",
            name=fleet.next_name("TEL"),
            site=person.site,
            room=where,
            person=person,
            choice=0 if rng.random() < 0.6 else 1,
            contract="Téléphonie fixe et mobile",
        )

    for site in sites:
        if site.kind in SHARED_DESKTOPS:
            room_name, count = SHARED_DESKTOPS[site.kind]
            for _ in range(count):
                fleet.add(
                    "PC", name=fleet.next_name("POSTE"), site=site, room=room(site, room_name)
                )
    # The rest: most go to staff who share an office (ATSEM, lifeguards…), the others wait in
    # the store, are being repaired, or are retired and awaiting disposal.
    spare = max(DESKTOP_TARGET - sum(1 for a in fleet.assets if a.asset_type.prefix == "PC"), 0)
    store = room(head_office, "Réserve informatique")
    others = [p for p in people if p.active and not is_desk_job(p)]
    sharers = rng.sample(others, min(len(others), spare * 7 // 10))
    for person in sharers:
        assert person.site is not None  # noqa: S101  # every demo person has a site
        fleet.add(
            "PC",
            name=fleet.next_name("POSTE"),
            site=person.site,
            person=person,
            room=room(person.site, "Bureau", "Bureau de direction", "Accueil"),
        )
    for index in range(spare - len(sharers)):
        cycle = (AssetStatus.STOCK,) * 5 + (AssetStatus.RETIRED,) * 4 + (AssetStatus.IN_REPAIR,)
        fleet.add(
            "PC",
            name=fleet.next_name("POSTE"),
            site=head_office,
            room=store,
            status=cycle[index % 10],
            old=cycle[index % 10] == AssetStatus.RETIRED,
        )

    _add_mobile_equipment(fleet, desk_people, people, head_office, store)
    _add_infrastructure(fleet, sites, head_office, room)
    _add_school_equipment(fleet, sites, room)

    Asset.objects.bulk_create(fleet.assets, batch_size=500)
    return len(fleet.assets)


def _add_mobile_equipment(
    fleet: _FleetBuilder,
    desk_people: list[Person],
    people: list[Person],
    head_office: Site,
    store: Room | None,
) -> None:
    rng = fleet.rng
    teleworkers = [
        p
        for p in desk_people
        if p.site is not None and p.site.kind in {SiteKind.HEAD_OFFICE, SiteKind.FRANCE_SERVICES}
    ]
    for person in rng.sample(teleworkers, min(LAPTOP_TARGET - 4, len(teleworkers))):
        fleet.add("PORT", name=fleet.next_name("PORTABLE"), site=person.site, person=person)
    for status in (AssetStatus.STOCK, AssetStatus.STOCK, AssetStatus.RETIRED):
        fleet.add(
            "PORT",
            name=fleet.next_name("PORTABLE"),
            site=head_office,
            room=store,
            status=status,
            old=status == AssetStatus.RETIRED,
        )
    stolen_from = rng.choice(teleworkers)
    fleet.add(
        "PORT",
        name=fleet.next_name("PORTABLE"),
        site=None,
        person=stolen_from,
        status=AssetStatus.LOST,
        notes="Volé dans un véhicule lors d'un déplacement ; plainte déposée, compte bloqué.",
    )

    # Mobile phones: heads of department, the IT team and part of the field staff.
    for person in people:
        code = person.department.code if person.department is not None else ""
        is_head = person.job_title.startswith(("Responsable", "Direct", "Chef", "Coordin"))
        if person.active and (is_head or (code in FIELD_DEPARTMENTS and rng.random() < 0.5)):
            fleet.add(
                "MOB",
                name=fleet.next_name("MOBILE"),
                site=person.site,
                person=person,
                contract="Téléphonie fixe et mobile",
            )
    for _ in range(3):
        fleet.add(
            "MOB",
            name=fleet.next_name("MOBILE"),
            site=head_office,
            room=store,
            status=AssetStatus.STOCK,
        )


def _add_infrastructure(
    fleet: _FleetBuilder, sites: list[Site], head_office: Site, room: _RoomFinder
) -> None:
    server_room = room(head_office, "Local technique")
    for name, choice in SERVERS_AT_HEAD_OFFICE:
        fleet.add(
            "SRV",
            name=name,
            site=head_office,
            room=server_room,
            choice=choice,
            contract="Maintenance des serveurs et de la sauvegarde",
        )
    fleet.add(
        "SRV",
        name="SRV-ANCIEN-AD",
        site=head_office,
        room=room(head_office, "Réserve informatique"),
        choice=2,
        status=AssetStatus.RETIRED,
        old=True,
    )
    maisons = [site for site in sites if site.kind == SiteKind.FRANCE_SERVICES]
    for code, site in zip(FRANCE_SERVICES_CODES, maisons, strict=False):
        for role in ("AD", "FICHIERS"):
            fleet.add(
                "SRV",
                name=f"SRV-{code}-{role}",
                site=site,
                room=room(site, "Local technique"),
                choice=1,
                contract="Extension de garantie des serveurs PowerEdge",
            )
    for name in VIRTUAL_MACHINES:
        fleet.add("VM", name=name, site=head_office, room=server_room)

    for site in sites:
        switches, access_points, copiers, printers, ups = NETWORK_PLAN[site.kind]
        closet = room(site, "Local technique")
        big = site.kind in {SiteKind.HEAD_OFFICE, SiteKind.FRANCE_SERVICES}
        if site.kind == SiteKind.WASTE_CENTRE:
            fleet.add(
                "ROUTER",
                name=fleet.next_name("ROUTEUR"),
                site=site,
                room=closet,
                contract="Accès internet et interconnexion des sites",
            )
            fleet.add(
                "TEL",
                name=fleet.next_name("TEL"),
                site=site,
                room=closet,
                choice=2,
                contract="Téléphonie fixe et mobile",
            )
        else:
            fleet.add(
                "FW",
                name=fleet.next_name("FW"),
                site=site,
                room=closet,
                choice=0 if big else 1,
                contract="Support et licences des pare-feux FortiGate",
            )
            fleet.add(
                "TEL",
                name=fleet.next_name("TEL"),
                site=site,
                room=room(site, "Accueil"),
                choice=1,
                contract="Téléphonie fixe et mobile",
            )
        for index in range(switches):
            switch_model = (1 if index < 2 else 0) if site == head_office else None
            fleet.add("SW", name=fleet.next_name("SW"), site=site, room=closet, choice=switch_model)
        for _ in range(access_points):
            fleet.add("AP", name=fleet.next_name("WIFI"), site=site, room=closet)
        for _ in range(copiers):
            fleet.add(
                "COPIER",
                name=fleet.next_name("COPIEUR"),
                site=site,
                room=room(site, "Accueil", "Bureau de direction"),
                contract="Location et maintenance des copieurs",
            )
        for _ in range(printers):
            fleet.add(
                "PRINTER",
                name=fleet.next_name("IMP"),
                site=site,
                room=room(site, "Bureau de direction", "Bureau"),
            )
        for index in range(ups):
            ups_model = 0 if site == head_office else (2 if big else 1)
            status = AssetStatus.IN_REPAIR if index == 2 else AssetStatus.IN_SERVICE
            fleet.add(
                "OND",
                name=fleet.next_name("OND"),
                site=site,
                room=closet,
                choice=ups_model,
                status=status,
            )


def _add_school_equipment(fleet: _FleetBuilder, sites: list[Site], room: _RoomFinder) -> None:
    rng = fleet.rng
    for site in sites:
        if site.kind != SiteKind.SCHOOL:
            continue
        nursery_school = site.name.startswith("École maternelle")
        classes = [f"Classe {n}" for n in range(1, 5)]
        if not nursery_school:
            for class_name in classes[:3]:
                fleet.add(
                    "PC", name=fleet.next_name("POSTE"), site=site, room=room(site, class_name)
                )
        for index in range(4 if nursery_school else 8):
            status = AssetStatus.IN_SERVICE if rng.random() < 0.93 else AssetStatus.IN_REPAIR
            fleet.add(
                "TAB",
                name=fleet.next_name("TABLETTE"),
                site=site,
                room=room(site, classes[index % 4]),
                status=status,
            )
        for class_name in classes[: 1 if nursery_school else rng.randint(2, 4)]:
            fleet.add(
                "TNI",
                name=fleet.next_name("TNI"),
                site=site,
                room=room(site, class_name),
                contract="Maintenance des TNI des écoles",
            )
