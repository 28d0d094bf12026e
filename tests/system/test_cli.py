"""The command line, run as a person would: programme check/load, db upgrade, invite, and
the demo driven by piped lines."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import PROGRAMMES

pytestmark = pytest.mark.slow

SHIPPED = [str(path) for path in sorted(PROGRAMMES.glob("*.toml"))]
"""`programmes/*.toml`, as a person would type it: every file there is a programme."""
LAO_CAI, HA_GIANG = (str(PROGRAMMES / name) for name in ("lao-cai-31-2015.toml", "ha-giang-2021-2026.toml"))


def phoihop(*args: str, cwd: Path, stdin: str = "", **env: str) -> subprocess.CompletedProcess[str]:
    environment = {**os.environ, "PHOIHOP_LANGUAGE": "vi", **env}
    environment.pop("DATABASE_URL", None)
    environment.update(env)
    return subprocess.run(
        [sys.executable, "-m", "bot.cli", *args],
        cwd=cwd,
        input=stdin,
        capture_output=True,
        text=True,
        env={**environment, "PYTHONPATH": str(Path(__file__).resolve().parents[2])},
        timeout=120,
    )


def test_check_passes_the_shipped_programmes(tmp_path: Path) -> None:
    result = phoihop("programme", "check", *SHIPPED, cwd=tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout.count(": hợp lệ") == len(SHIPPED) >= 3
    assert "chương trình «lao-cai-31-2015», 41 cơ quan, 4 chu kỳ báo cáo, 0 nhiệm vụ." in result.stdout


def test_check_rejects_a_broken_file_with_the_field_path(tmp_path: Path) -> None:
    text = (PROGRAMMES / "lao-cai-31-2015.toml").read_text(encoding="utf-8")
    broken = tmp_path / "broken.toml"
    broken.write_text(
        text.replace('kind = "huyen"', 'kind = "quan"', 1).replace("due_day_of_month = 20", "due_day_of_month = 32", 1), encoding="utf-8"
    )
    result = phoihop("programme", "check", str(broken), cwd=tmp_path)
    assert result.returncode == 1
    assert "broken.toml: 2 lỗi" in result.stdout
    assert "agencies[22].kind «TPLAOCAI»: loại cơ quan «quan» chưa khai báo trong agency_kinds" in result.stdout
    assert "cycles[0].due_day_of_month «dv-6-thang»: giá trị quá lớn (tối đa 31)" in result.stdout
    english = phoihop("programme", "check", str(broken), cwd=tmp_path, PHOIHOP_LANGUAGE="en")
    assert "agencies[22].kind «TPLAOCAI»: agency kind «quan» is not declared in agency_kinds" in english.stdout


def test_upgrade_load_twice_and_invite(tmp_path: Path, new_database) -> None:  # type: ignore[no-untyped-def]
    url = new_database(migrated=False)
    refused = phoihop("programme", "load", LAO_CAI, cwd=tmp_path, DATABASE_URL=url)
    assert refused.returncode == 2 and "phoihop db upgrade" in refused.stderr
    assert phoihop("db", "upgrade", cwd=tmp_path, DATABASE_URL=url).returncode == 0
    first = phoihop("programme", "load", LAO_CAI, cwd=tmp_path, DATABASE_URL=url)
    assert first.returncode == 0 and "Đã nạp chương trình «lao-cai-31-2015»: thêm" in first.stdout
    again = phoihop("programme", "load", LAO_CAI, cwd=tmp_path, DATABASE_URL=url)
    assert "Chương trình «lao-cai-31-2015» đã có sẵn, không có gì thay đổi." in again.stdout
    invite = phoihop("invite", "LHH", "admin", cwd=tmp_path, DATABASE_URL=url)
    assert invite.returncode == 0, invite.stderr
    assert re.search(
        r"Mã mời: [A-Z2-9]{8}\nCho: quản trị \(Văn phòng Liên hiệp hội\) của Liên hiệp các Hội Khoa học và Kỹ thuật tỉnh Lào Cai",
        invite.stdout,
    )
    wrong = phoihop("invite", "LHH", "leader", cwd=tmp_path, DATABASE_URL=url)
    assert wrong.returncode == 2 and "Cán bộ Liên hiệp hội dùng vai trò quản trị" in wrong.stderr
    assert phoihop("programme", "load", HA_GIANG, cwd=tmp_path, DATABASE_URL=url).returncode == 0
    ambiguous = phoihop("invite", "SNV", "viewer", cwd=tmp_path, DATABASE_URL=url)
    assert ambiguous.returncode == 2 and "ha-giang-2021-2026, lao-cai-31-2015" in ambiguous.stderr
    nope = phoihop("invite", "SNV", "viewer", cwd=tmp_path, DATABASE_URL=url, PHOIHOP_PROGRAMME="nope")
    assert nope.returncode == 2 and "«nope»" in nope.stderr and "Các chương trình đã nạp: ha-giang-2021-2026, lao-cai-31-2015" in nope.stderr
    chosen = phoihop("invite", "SNV", "viewer", "--programme", "ha-giang-2021-2026", cwd=tmp_path, DATABASE_URL=url)
    assert chosen.returncode == 0 and "theo dõi (chỉ xem) của Sở Nội vụ" in chosen.stdout


def test_demo_driven_by_piped_lines(tmp_path: Path) -> None:
    lines = "/help\n/due\n/register\n2\nHội thảo thử từ dòng lệnh\n/cancel\n/as hyh-specialist\n/clock 2027-06-10\n/due\n/quit\n"
    result = phoihop(
        "demo", "--as", "syt-specialist", "--today", "2026-12-01", "--db", str(tmp_path / "demo.sqlite3"), cwd=tmp_path, stdin=lines
    )
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert "Đang trò chuyện với tư cách: Nguyễn Thị Mai · SYT. Thời điểm: 09:00 ngày 01/12/2026." in out
    assert "[Nguyễn Thị Mai · SYT] > /help" in out
    assert "/register — đăng ký hoạt động phối hợp" in out
    assert "Việc phải làm của Sở Y tế (tính đến 01/12/2026)" in out
    assert "  2. Hội thảo khoa học" in out
    assert "(Trả lời bằng số từ 1 đến 18)" in out
    assert "Đã hủy. Không có gì được lưu." in out
    assert "Bây giờ anh/chị là: Bùi Thanh Tùng · HYH." in out
    assert "Đồng hồ của bản thử: 09:00 ngày 10/06/2027." in out
    assert "Hạn: 20/06/2027 (còn 10 ngày)" in out


def test_run_without_a_token_is_the_demo(tmp_path: Path) -> None:
    demo = ("run", "--today", "2026-12-01", "--db", str(tmp_path / "demo.sqlite3"))
    result = phoihop(*demo, cwd=tmp_path, stdin="/help\n", TELEGRAM_BOT_TOKEN="", ZALO_BOT_TOKEN="")
    assert result.returncode == 0, result.stderr
    assert "Chưa cấu hình TELEGRAM_BOT_TOKEN hoặc ZALO_BOT_TOKEN" in result.stdout
    assert "/invite — tạo mã mời" in result.stdout
    assert "DATABASE_URL" not in result.stdout
    url = f"sqlite:///{tmp_path / 'served.sqlite3'}"
    told = phoihop(*demo, cwd=tmp_path, stdin="/help\n", TELEGRAM_BOT_TOKEN="", ZALO_BOT_TOKEN="", DATABASE_URL=url)
    assert told.returncode == 0, told.stderr
    assert f"DATABASE_URL đã đặt nhưng bản thử không dùng cơ sở dữ liệu đó: bản thử chạy trên tệp riêng {tmp_path / 'demo.sqlite3'}" in told.stdout
    assert not (tmp_path / "served.sqlite3").exists()


def test_demo_refuses_an_unknown_person(tmp_path: Path) -> None:
    result = phoihop("demo", "--as", "nobody", "--today", "2026-12-01", "--db", str(tmp_path / "demo.sqlite3"), cwd=tmp_path)
    assert result.returncode == 2
    assert "Không có người mẫu «nobody»" in result.stderr


def test_demo_runs_any_programme_with_people_made_from_its_agencies(tmp_path: Path) -> None:
    db = str(tmp_path / "demo.sqlite3")
    result = phoihop("demo", "--programme", "ha-giang-2021-2026", "--today", "2025-06-10", "--db", db, cwd=tmp_path, stdin="/due\n")
    assert result.returncode == 0, result.stderr
    assert "bản chạy thử trên máy: Chương trình hành động thực hiện Nghị quyết" in result.stdout
    assert "(ha-giang-2021-2026), dữ liệu mẫu" in result.stdout
    assert "lhh-admin: Quản trị LHH · LHH" in result.stdout and "snv-specialist: Chuyên viên SNV · SNV" in result.stdout
    assert "Hạn: 20/06/2025" in result.stdout
    chosen = phoihop(
        "demo", "--as", "skhcn-specialist", "--today", "2025-12-01", "--db", db, cwd=tmp_path, stdin="/due\n", PHOIHOP_PROGRAMME="can-tho-958-2022"
    )
    assert chosen.returncode == 0, chosen.stderr
    assert "(can-tho-958-2022), dữ liệu mẫu" in chosen.stdout and "Chuyên viên SKHCN · SKHCN" in chosen.stdout
    assert "Báo cáo kết quả thực hiện Chương trình phối hợp hằng năm" in chosen.stdout
    file = str(PROGRAMMES / "dak-lak-28-2016.toml")
    fourth = phoihop("demo", "--programme", file, "--today", "2027-03-16", "--db", str(tmp_path / "dl.sqlite3"), cwd=tmp_path, stdin="/due\n")
    assert fourth.returncode == 0, fourth.stderr
    assert "(dak-lak-28-2016), dữ liệu mẫu" in fourth.stdout and "snv-specialist: Chuyên viên SNV · SNV" in fourth.stdout
    assert "Báo cáo quý kết quả thực hiện Quyết định số 28/2016/QĐ-UBND — quý I/2027" in fourth.stdout
