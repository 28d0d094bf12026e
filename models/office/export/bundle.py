"""One call that builds everything `/export` and `phoihop export` hand out."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlmodel import Session

from models.office.export.charts import progress_chart, types_chart
from models.office.board import office_periods
from models.office.export.data import ReportData, assemble, source_period
from models.office.export.docx_report import build_docx
from models.office.export.xlsx_report import build_xlsx
from models.programme.schema import Programme
from models.reporting.period_book import LivePeriod


@dataclass(frozen=True)
class ExportBundle:
    stem: str
    data: ReportData
    docx: bytes
    xlsx: bytes
    charts: dict[str, bytes]

    def files(self) -> dict[str, bytes]:
        """File name -> content."""
        named = {f"{self.stem}.docx": self.docx, f"{self.stem}.xlsx": self.xlsx}
        return named | {f"{self.stem}-{name}.png": png for name, png in self.charts.items()}


def build_bundle(
    session: Session, programme: Programme, programme_id: int, period: LivePeriod, now: datetime, language: str = "vi"
) -> ExportBundle:
    """The report of `period`; for the coordinator's own report to an outside body, the
    consolidation of the agencies' period of the same window, addressed as that report."""
    outside = programme.reports_outside(period.cycle)
    source = source_period(programme, office_periods(session, programme, programme_id, now), period) if outside else None
    data = assemble(session, programme, programme_id, source or period, now, recipient=period if source else None)
    charts = {}
    if data.agencies_report and len(data.board.rows) > 1:
        charts["progress"] = progress_chart(data.board, data.kinds, language, data.issued_on)
    if data.activities:
        charts["types"] = types_chart(data.by_type, language)
    stem = f"bao-cao-{programme.code}-{period.cycle.code}-{period.info.code}"
    return ExportBundle(stem, data, build_docx(data, charts, language), build_xlsx(data, language), charts)
