"""`geography build-pack` against small files in the official formats, served by a local web
server (no internet here), then imported."""

import io
import json
import threading
import zipfile
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlparse

import pytest
from django.core.management import CommandError, call_command

from groundswell.geography import pack_builder, queries

pytestmark = pytest.mark.django_db

ONS_CSV = (
    "\ufeffPCON24CD,PCON24NM,PCON24NMW,ObjectId\r\n"
    "E14001234,Guildford,,1\r\n"
    "E14001063,Aldershot,,2\r\n"
    "S14000107,Aberdeen South,,3\r\n"
    "W07000081,Ynys Môn,Ynys Môn,4\r\n"
    "N05000001,Belfast East,,5\r\n"
)
HEXJSON = {
    "layout": "odd-r",
    "hexes": {
        "E14001234": {"n": "Guildford", "q": 2, "r": 0, "region": "E12000008"},
        "E14001063": {"n": "Aldershot", "q": 3, "r": 0, "region": "E12000008"},
        "S14000006": {"n": "Aberdeen South", "q": 2, "r": 2, "region": "S92000003"},  # pre-2024 code
        "W07000081": {"n": "Ynys Môn", "q": 1, "r": 1, "region": "W92000004"},
        "N05000001": {"n": "Belfast East", "q": 0, "r": 1, "region": "N92000002"},
    },
}
MEMBERS = [
    (5210, "Zöe Franklin", "Liberal Democrat", "Guildford", "zoe.franklin.mp@parliament.uk"),
    (5173, "Alex Baker", "Labour", "Aldershot", "alex.baker.mp@parliament.uk"),
    (4920, "Stephen Flynn", "Scottish National Party", "Aberdeen South", None),
    (5200, "Llinos Medi", "Plaid Cymru", "Ynys Môn", "llinos.medi.mp@parliament.uk"),
    (4761, "Gavin Robinson", "Democratic Unionist Party", "Belfast East", "gavin.robinson.mp@parliament.uk"),
]
ONSPD = (
    "pcd,pcd2,pcds,dointr,doterm,oscty,pcon,lat,long\n"
    "GU1 1AA,GU1  1AA,GU1 1AA,198001,,E10000030,E14001234,51.2,-0.5\n"
    "GU2 7XX,GU2  7XX,GU2 7XX,198001,,E10000030,E14001234,51.2,-0.5\n"
    "GU2 7ZZ,GU2  7ZZ,GU2 7ZZ,198001,201203,E10000030,E14001234,51.2,-0.5\n"  # terminated
    "GU111AA,GU11 1AA,GU11 1AA,198001,,E10000030,E14001063,51.2,-0.7\n"
    "AB101AB,AB10 1AB,AB10 1AB,198001,,S99999999,S14000107,57.1,-2.1\n"
    "BT1 1AA,BT1  1AA,BT1 1AA,198001,,N99999999,N05000001,54.6,-5.9\n"  # NI: not openly licensed
)


def _routes():
    pages = {}
    items = [
        {"value": {"id": i, "nameDisplayAs": name, "latestParty": {"name": party},
                   "latestHouseMembership": {"membershipFrom": seat, "membershipEndDate": None}}}
        for i, name, party, seat, _ in MEMBERS
    ]
    contacts = {
        str(i): {"value": [{"type": "Constituency office", "email": "casework@example.org"}]
                 + ([{"type": "Parliamentary office", "email": email}] if email else [])}
        for i, _, _, _, email in MEMBERS
    }
    archive = io.BytesIO()
    with zipfile.ZipFile(archive, "w") as z:
        z.writestr("Documents/readme.txt", "ONSPD")
        z.writestr("Data/ONSPD_FEB_2025_UK.csv", ONSPD)
    return items, contacts, archive.getvalue()


class _Handler(BaseHTTPRequestHandler):
    items, contacts, onspd_zip = _routes()

    def do_GET(self):
        url = urlparse(self.path)
        query = parse_qs(url.query)
        if url.path == "/ons.csv":
            body, kind = ONS_CSV.encode(), "text/csv"
        elif url.path == "/hexmap.hexjson":
            body, kind = json.dumps(HEXJSON).encode(), "application/json"
        elif url.path == "/api/Members/Search":
            skip, take = int(query["skip"][0]), int(query["take"][0])
            body = json.dumps({"items": self.items[skip : skip + take], "totalResults": len(self.items)}).encode()
            kind = "application/json"
        elif url.path.startswith("/api/Members/") and url.path.endswith("/Contact"):
            body, kind = json.dumps(self.contacts[url.path.split("/")[3]]).encode(), "application/json"
        elif url.path == "/onspd.zip":
            body, kind = self.onspd_zip, "application/zip"
        else:
            self.send_error(404)
            return
        self.send_response(200)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


@pytest.fixture
def official_sources():
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    base = f"http://127.0.0.1:{server.server_address[1]}"
    yield {
        "constituencies": f"{base}/ons.csv",
        "hexjson": f"{base}/hexmap.hexjson",
        "members": f"{base}/api/Members/Search?House=1&IsCurrentMember=true",
        "member_contact": f"{base}/api/Members/{{id}}/Contact",
        "postcodes": f"{base}/onspd.zip",
    }
    server.shutdown()
    server.server_close()


def test_build_pack_from_the_official_formats_then_import_it(tmp_path, official_sources, monkeypatch):
    monkeypatch.setattr(pack_builder, "PAGE_SIZE", 2)  # exercise the Members API's paging
    out_dir = tmp_path / "built"
    args = [f"--source-url={name}={url}" for name, url in official_sources.items()]
    stdout = io.StringIO()
    call_command("geography", "build-pack", str(out_dir), *args, stdout=stdout)
    assert "5 constituencies, 5 members, 4 postcodes" in stdout.getvalue()

    constituencies = (out_dir / "constituencies.csv").read_text().splitlines()
    assert constituencies[0] == "gss_code,name,name_cy,nation,region_code,hex_q,hex_r"
    assert "S14000107,Aberdeen South,,Scotland,S92000003,2,2" in constituencies  # code mapped to 2024
    assert "W07000081,Ynys Môn,Ynys Môn,Wales,W92000004,1,1" in constituencies
    members = (out_dir / "members.csv").read_text().splitlines()
    assert "E14001234,Zöe Franklin,Liberal Democrat,zoe.franklin.mp@parliament.uk,5210" in members
    assert "S14000107,Stephen Flynn,Scottish National Party,,4920" in members
    assert "Licences and attribution" in (out_dir / "README.md").read_text()

    call_command("geography", "import", str(out_dir), "--no-progress", stdout=io.StringIO())
    assert queries.lookup_postcode("gu2 7xx").name == "Guildford"
    assert queries.lookup_postcode("GU2 7ZZ") is None  # terminated
    assert queries.lookup_postcode("BT1 1AA") is None
    assert queries.current_member(queries.lookup_postcode("AB101AB")).name == "Stephen Flynn"


def test_build_pack_says_which_source_failed(tmp_path, official_sources):
    args = [f"--source-url={name}={url}" for name, url in official_sources.items()]
    with pytest.raises(CommandError, match=r"Could not download .*/missing.csv"):
        call_command("geography", "build-pack", str(tmp_path / "x"), *args,
                     f"--source-url=constituencies={official_sources['hexjson'].rsplit('/', 1)[0]}/missing.csv")


def test_build_pack_asks_for_the_ons_addresses_it_cannot_know(tmp_path):
    with pytest.raises(CommandError, match=r"--source-url constituencies=URL .* --source-url postcodes=URL"):
        call_command("geography", "build-pack", str(tmp_path / "x"))
