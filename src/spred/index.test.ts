import * as tf from '@tensorflow/tfjs';
import * as spred from './index';

describe('public API', () => {
  it('exports the method, the metrics, the closed forms and the file handler', () => {
    const names = Object.keys(spred).sort();
    expect(names).toEqual(
      [
        'INIT_SCHEMES',
        'FileSystemHandler',
        'GroupRedundantParameter',
        'REDUNDANCIES',
        'RedundantParameter',
        'SpredConv2D',
        'SpredDense',
        'balanceScales',
        'compressionRatio',
        'countNonzero',
        'deriveSeed',
        'fileSystem',
        'fileSystemRouter',
        'groupLassoOrthonormal',
        'groupMagnitudes',
        'groupRedundantGradients',
        'groupSoftThreshold',
        'groupSparsity',
        'initRedundantPair',
        'kappaFromKerasL1',
        'kappaFromKerasL2',
        'kappaFromLambda',
        'kappaFromTorchWeightDecay',
        'l1Norm',
        'lambdaFromKappa',
        'lassoKktResidual',
        'lassoObjective',
        'lassoOrthogonal',
        'orthogonalColumnNorms',
        'redundantGradients',
        'registerFileSystemRouter',
        'resolvePenalty',
        'softThreshold',
        'sparseRatio',
        'splitKappa',
        'spredConv2d',
        'spredDense',
        'standardInitStd',
        'weightsByteLength',
      ].sort(),
    );
  });

  it('registers SpredDense with tfjs serialization under its class name', () => {
    const layer = spred.spredDense({ units: 2, kappa: 0.1, inputShape: [3] });
    const [cls, fromConfig] = tf.serialization.SerializationMap.getMap().classNameMap['SpredDense'];
    expect(cls).toBe(spred.SpredDense);
    const copy = fromConfig(cls, layer.getConfig()) as spred.SpredDense;
    expect(copy).toBeInstanceOf(spred.SpredDense);
    expect(copy.getClassName()).toBe('SpredDense');
    expect([copy.kappa, copy.units, copy.redundancy]).toEqual([0.1, 2, 'elementwise']);
  });

  it('registers SpredConv2D with tfjs serialization under its class name', () => {
    const layer = spred.spredConv2d({ filters: 2, kernelSize: 3, kappa: 0.1, inputShape: [5, 5, 1] });
    const [cls, fromConfig] = tf.serialization.SerializationMap.getMap().classNameMap['SpredConv2D'];
    expect(cls).toBe(spred.SpredConv2D);
    const copy = fromConfig(cls, layer.getConfig()) as spred.SpredConv2D;
    expect(copy).toBeInstanceOf(spred.SpredConv2D);
    expect([copy.kappa, copy.filters, copy.kernelSize]).toEqual([0.1, 2, [3, 3]]);
  });
});
