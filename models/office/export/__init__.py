"""The consolidated report of a period: its figures (data.py), charts (charts.py), the Word
document in the state format (docx_report.py) and the Excel workbook (xlsx_report.py)."""
