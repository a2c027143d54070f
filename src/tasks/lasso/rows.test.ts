import { selectBest, type SweepRow } from './rows';

const row = (optimizer: string, lr: number, objective: number, stop: string, lambda = 1): SweepRow =>
  ({ method: 'spred', optimizer, selected_optimizer: optimizer, lambda, kappa: lambda / 2, learning_rate: lr, iterations: 100, stop, objective }) as unknown as SweepRow;

describe('selectBest', () => {
  it('picks the lowest objective per optimizer, then overall; diverged runs never win', () => {
    const sweep = [row('gd', 1, NaN, 'diverged'), row('gd', 0.1, 2, 'converged'), row('gd', 0.01, 3, 'budget'), row('adam', 0.1, 1.5, 'converged')];
    const best = selectBest(sweep);
    expect(best.map((r) => [r.optimizer, r.learning_rate, r.stop])).toEqual([
      ['gd', 0.1, 'converged'],
      ['adam', 0.1, 'converged'],
      ['best', 0.1, 'converged'],
    ]);
    expect(best[2].selected_optimizer).toBe('adam');
    expect(sweep.map((r) => r.selected ?? false)).toEqual([false, true, false, true]);
    expect(best.every((r) => !('selected' in r))).toBe(true);
  });

  it('after an interrupted run, the rows chosen without it say stop = interrupted, not their own stop', () => {
    // Ctrl-C during gd at lr 0.01: lr 1 and 0.1 finished (budget), adam finished before.
    const sweep = [
      row('adam', 0.1, 1.5, 'converged'),
      row('adam', 0.1, 4, 'converged', 2),
      row('gd', 1, 2, 'budget'),
      row('gd', 0.1, 2.5, 'budget'),
      row('gd', 0.01, 9, 'interrupted'),
      row('gd', 1, 5, 'budget', 2),
    ];
    const best = selectBest(sweep);
    const stopOf = (optimizer: string, lambda: number) => best.find((r) => r.optimizer === optimizer && r.lambda === lambda)?.stop;
    expect(stopOf('gd', 1)).toBe('interrupted'); // chosen over lr 1 and 0.1 only
    expect(stopOf('adam', 1)).toBe('converged'); // its own candidates all finished
    expect(stopOf('best', 1)).toBe('interrupted'); // the overall choice missed gd at lr 0.01
    expect(stopOf('gd', 2)).toBe('budget'); // nothing was cut short at λ = 2
    expect(stopOf('best', 2)).toBe('converged');
    // sweep.csv keeps each run's own stop; the interrupted run is never selected
    expect(sweep.map((r) => r.stop)).toEqual(['converged', 'converged', 'budget', 'budget', 'interrupted', 'budget']);
    expect(sweep[4].selected).toBeFalsy();
  });
});
