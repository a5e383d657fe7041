// Command-line options shared by the healing bench and the fit script.
import { existsSync } from 'node:fs';

/** The value of `--<name> <value>` or `--<name>=<value>`: undefined when absent, null when it has no value. */
export function optionFrom(argv: readonly string[], name: string): string | null | undefined {
  const flag = `--${name}`;
  const i = argv.findIndex((a) => a === flag || a.startsWith(`${flag}=`));
  if (i < 0) return undefined;
  const value = argv[i]!.startsWith(`${flag}=`) ? argv[i]!.slice(flag.length + 1) : argv[i + 1];
  return value && !value.startsWith('--') ? value : null;
}

/** `--data <dir>` (or `--data=<dir>`): the folder of benchmark app files. */
export function dataDirFrom(argv: readonly string[], command: string): string {
  const value = optionFrom(argv, 'data');
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
