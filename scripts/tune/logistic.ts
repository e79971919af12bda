// Weighted logistic regression by Newton's method (few features, so the exact Hessian is cheap),
// with an L2 penalty on every weight but the bias. Used by train-heads.ts.

export interface Row {
  readonly x: Float64Array;
  readonly y: 0 | 1;
  readonly weight: number;
}

export interface Fit {
  readonly weights: number[];
  readonly bias: number;
}

export function sigmoid(z: number): number {
  return 1 / (1 + Math.exp(-z));
}

export function logit(fit: Fit, x: Float64Array): number {
  let z = fit.bias;
  for (let i = 0; i < x.length; i++) z += fit.weights[i]! * x[i]!;
  return z;
}

export function fitLogistic(rows: readonly Row[], l2: number, iterations = 30): Fit {
  const m = rows[0]!.x.length + 1; // last column: bias
  let w = new Float64Array(m);
  for (let iter = 0; iter < iterations; iter++) {
    const gradient = new Float64Array(m);
    const hessian = Array.from({ length: m }, () => new Float64Array(m));
    for (const { x, y, weight } of rows) {
      let z = w[m - 1]!;
      for (let i = 0; i < m - 1; i++) z += w[i]! * x[i]!;
      const p = sigmoid(z);
      const g = weight * (p - y);
      const h = weight * Math.max(p * (1 - p), 1e-9);
      for (let i = 0; i < m; i++) {
        const xi = i === m - 1 ? 1 : x[i]!;
        gradient[i]! += g * xi;
        for (let j = 0; j <= i; j++) hessian[i]![j]! += h * xi * (j === m - 1 ? 1 : x[j]!);
      }
    }
    for (let i = 0; i < m; i++) for (let j = 0; j < i; j++) hessian[j]![i] = hessian[i]![j]!;
    for (let i = 0; i < m - 1; i++) {
      gradient[i]! += l2 * w[i]!;
      hessian[i]![i]! += l2;
    }
    const step = solve(hessian, gradient);
    w = w.map((value, i) => value - step[i]!);
    if (step.reduce((s, v) => s + Math.abs(v), 0) < 1e-8) break;
  }
  return { weights: [...w.slice(0, m - 1)], bias: w[m - 1]! };
}

/** Gaussian elimination with partial pivoting. */
function solve(a: Float64Array[], b: Float64Array): Float64Array {
  const n = b.length;
  const m = a.map((row, i) => Float64Array.from([...row, b[i]!]));
  for (let col = 0; col < n; col++) {
    let pivot = col;
    for (let r = col + 1; r < n; r++) if (Math.abs(m[r]![col]!) > Math.abs(m[pivot]![col]!)) pivot = r;
    [m[col], m[pivot]] = [m[pivot]!, m[col]!];
    const p = m[col]![col]! || 1e-12;
    for (let r = 0; r < n; r++) {
      if (r === col) continue;
      const f = m[r]![col]! / p;
      if (f === 0) continue;
      for (let c = col; c <= n; c++) m[r]![c]! -= f * m[col]![c]!;
    }
  }
  return Float64Array.from({ length: n }, (_, i) => m[i]![n]! / (m[i]![i]! || 1e-12));
}

