/** What other contexts and the apps may use from the spreadsheets context (quarterly returns by spreadsheet). */
export {
  type CurrentFigures,
  type Operation,
  type ReturnPlan,
  type RowChange,
  readReturn,
} from './domain/return-file.js';
export { DATA_SHEETS, type FileProblem, describeProblem } from './domain/sheets.js';
export {
  CSV_TYPE,
  XLSX_TYPE,
  digestOf,
  readReturnFile,
  sheetBySlug,
  templateCsv,
  templateXlsx,
} from './files/return-files.js';
