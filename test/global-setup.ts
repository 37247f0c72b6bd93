import { makeImagesFolder } from './images-folder';

export default makeImagesFolder;
