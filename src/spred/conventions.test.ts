import {
  balanceScales,
  kappaFromKerasL1,
  kappaFromKerasL2,
  kappaFromLambda,
  kappaFromTorchWeightDecay,
  lambdaFromKappa,
  resolvePenalty,
  splitKappa,
} from './conventions';

describe('conventions', () => {
  it('κ against λ, Keras and PyTorch', () => {
    expect(kappaFromLambda(0.3)).toBe(0.15);
    expect(lambdaFromKappa(0.15)).toBe(0.3);
    expect(kappaFromKerasL2(5e-4)).toBe(5e-4);
    expect(kappaFromKerasL1(1e-3)).toBe(5e-4);
    expect(kappaFromTorchWeightDecay(1e-3)).toBe(5e-4);
  });

  it('resolvePenalty: α = β = κ by default, the partner from αβ = κ², and a check when all three are given', () => {
    expect(resolvePenalty({ kappa: 0.5 })).toEqual({ kappa: 0.5, alpha: 0.5, beta: 0.5 });
    expect(resolvePenalty({ kappa: 0.5, alpha: 1 })).toEqual({ kappa: 0.5, alpha: 1, beta: 0.25 });
    expect(resolvePenalty({ kappa: 0.5, beta: 1 })).toEqual({ kappa: 0.5, alpha: 0.25, beta: 1 });
    expect(resolvePenalty({ alpha: 2, beta: 0.5 })).toEqual({ kappa: 1, alpha: 2, beta: 0.5 });
    expect(resolvePenalty({ kappa: 0 })).toEqual({ kappa: 0, alpha: 0, beta: 0 });
    expect(() => resolvePenalty({ kappa: 1, alpha: 1, beta: 2 })).toThrow(/alpha·beta must equal kappa²/);
    expect(() => resolvePenalty({ kappa: 1, alpha: 0 })).toThrow(/alpha = 0 cannot satisfy/);
    expect(() => resolvePenalty({ kappa: -1 })).toThrow(/kappa must be a finite number ≥ 0/);
    expect(() => resolvePenalty({})).toThrow(/give kappa/);
  });

  it('splitKappa and balanceScales keep αβ = κ² and U⊙W', () => {
    const { alpha, beta } = splitKappa(0.2, 9);
    expect(alpha).toBeCloseTo(0.6, 15);
    expect(beta).toBeCloseTo(0.2 / 3, 15);
    const s = balanceScales(alpha, beta);
    expect(s.u * s.w).toBeCloseTo(1, 15);
    // |U| = |W| = 1 maps to √α|U| = √β|W|.
    expect(Math.sqrt(alpha) * s.u).toBeCloseTo(Math.sqrt(beta) * s.w, 15);
    expect(balanceScales(0.3, 0.3)).toEqual({ u: 1, w: 1 });
  });
});
