export { gradcheck, runOn, type CheckInput, type GradcheckResult } from './gradcheck.js';
export { moduleGradcheck } from './module-gradcheck.js';
