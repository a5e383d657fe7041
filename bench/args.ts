// Command-line options shared by the healing bench and the fit script.
import { existsSync } from 'node:fs';

/** `--data <dir>` (or `--data=<dir>`): the folder of benchmark app files. */
export function dataDirFrom(argv: readonly string[], command: string): string {
  const i = argv.findIndex((a) => a === '--data' || a.startsWith('--data='));
  const value = i < 0 ? undefined : argv[i]!.startsWith('--data=') ? argv[i]!.slice('--data='.length) : argv[i + 1];
  if (!value) {
    console.error(`usage: npm run ${command} -- --data <folder of locator-relocation *.json files>`);
    process.exit(2);
  }
  if (!existsSync(value)) {
    console.error(`${command}: --data ${value} does not exist`);
    process.exit(2);
  }
  return value;
}

export const pct = (v: number) => `${(v * 100).toFixed(1)}%`;
