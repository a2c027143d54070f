import { scaleGamma, Svc } from './svc';

describe('Svc (libsvm-js, scikit-learn SVC defaults)', () => {
  it('two points ±2 with γ = 0.05, C = 10: α = 1/(1 − e^{−16γ}) by hand, ρ = 0, the decision boundary at 0', () => {
    // Dual: max 2α − ½α²(K₁₁ + K₂₂ − 2K₁₂) with K₁₂ = exp(−γ·16): α = 1/(1 − e^{−0.8}) = 1.8160 < C.
    const svc = new Svc({ gamma: 0.05, cost: 10 }).fit([[-2], [2]], [0, 1]);
    const text = svc.modelText();
    const rho = Number(/rho (\S+)/.exec(text)![1]);
    expect(rho).toBeCloseTo(0, 6);
    const coefs = text.split('SV\n')[1].trim().split('\n').map((l) => Math.abs(Number(l.split(' ')[0])));
    expect(coefs).toHaveLength(2);
    for (const a of coefs) expect(a).toBeCloseTo(1 / (1 - Math.exp(-0.8)), 3);
    expect([...svc.predict([[-3], [-0.5], [0.5], [3]])]).toEqual([0, 0, 1, 1]);
    svc.free();
  });

  it('at C = 1 the same points are bounded: α = C = 1 (1/(1 − e^{−0.8}) > 1)', () => {
    const svc = new Svc({ gamma: 0.05 }).fit([[-2], [2]], [0, 1]);
    const coefs = svc.modelText().split('SV\n')[1].trim().split('\n').map((l) => Math.abs(Number(l.split(' ')[0])));
    for (const a of coefs) expect(a).toBeCloseTo(1, 6);
    svc.free();
  });

  it("gamma 'scale' is 1/(k·Var(X)) over all entries", () => {
    // Entries 0, 2, 4, 6: mean 3, variance 5; k = 2.
    expect(scaleGamma([[0, 2], [4, 6]])).toBeCloseTo(1 / 10, 12);
    expect(scaleGamma([[1, 1]])).toBe(1);
  });

  it('XOR with γ = 1, C = 1 (libsvm-js README, same as scikit-learn SVC(gamma=1)) and three classes by one-vs-one votes', () => {
    const xor = new Svc({ gamma: 1 }).fit([[0, 0], [1, 1], [1, 0], [0, 1]], [0, 0, 1, 1]);
    expect([...xor.predict([[0.7, 0.8], [0.1, 0.9], [0.05, 0.1]])]).toEqual([0, 1, 0]);
    xor.free();
    const three = new Svc().fit([[0, 0], [0.2, 0], [5, 5], [5.2, 5], [0, 5], [0.2, 5]], [2, 2, 0, 0, 1, 1]);
    expect([...three.predict([[0.1, 0.1], [5.1, 4.9], [0.1, 4.9]])]).toEqual([2, 0, 1]);
    three.free();
  });
});
