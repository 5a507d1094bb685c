export {
  CONTENT_TYPES,
  TABULAR_FORMATS,
  excel,
  penceToPounds,
  writeTable,
  type Cell,
  type Column,
  type TabularFormat,
  type WriteTableOptions,
} from './tabular.js';
