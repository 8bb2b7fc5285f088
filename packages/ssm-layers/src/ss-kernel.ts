// The official code wraps every SSM kernel in an `SSKernel` module whose child is named `kernel`, so
// checkpoint keys read `…kernel.kernel.log_dt`; this wrapper keeps those names.
import { Module } from '@hippo/tensor';

export class SSKernel<K extends Module> extends Module {
  readonly kernel: K;
  constructor(kernel: K) {
    super();
    this.kernel = this.child('kernel', kernel);
  }
}
