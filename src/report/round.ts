/** Figures rounded for the data island: a 10,000-test report stays small and quick to parse. */
export const round3 = (x: number) => Math.round(x * 1000) / 1000;

/** USD to the millionth: sums of many small call costs stay free of float noise. */
export const roundUsd = (x: number) => Math.round(x * 1e6) / 1e6;
