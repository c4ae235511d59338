// Preloaded (node --import) into a process whose peak memory a benchmark reports: at exit the
// process writes its peak resident set size, in MB, to the file named by PEAK_RSS_FILE.
import { writeFileSync } from 'node:fs';

process.on('exit', () => writeFileSync(process.env.PEAK_RSS_FILE, String(process.resourceUsage().maxRSS / 1024)));
