import { sqliteBackend } from '../helpers/sql-backends.js';
import { describeSqlStorage } from '../helpers/sql-storage-suite.js';

describeSqlStorage(sqliteBackend);
