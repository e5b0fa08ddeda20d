import * as THREE from 'three';
import { GLTFLoader } from 'three/examples/jsm/loaders/GLTFLoader.js';
import { OrbitControls } from 'three/examples/jsm/controls/OrbitControls.js';

/** How an element is coloured when colouring by change (the legend names the same colours). */
export const CHANGE_COLOURS = { inserted: '#2e9e44', updated: '#e8a317', unchanged: '#b8bcc2' } as const;
export type ChangeKind = keyof typeof CHANGE_COLOURS;
const HIGHLIGHT = new THREE.Color('#0073e6');
/** The element the keyboard is on, before Enter selects it: lighter than the selection, so the two read apart. */
const CURSOR = new THREE.Color('#7cc4ff');

/**
 * The three.js side of the 3D view: one node per element (docs/model-view.md), picked by ray,
 * hidden by category, recoloured by change. This module (and three.js with it) is loaded with a
 * dynamic import, so the rest of the page does not download it.
 */
export class ModelScene {
  private readonly renderer: THREE.WebGLRenderer;
  private readonly scene = new THREE.Scene();
  private readonly camera = new THREE.PerspectiveCamera(45, 1, 0.05, 10_000);
  private readonly controls: OrbitControls;
  private readonly nodes = new Map<string, THREE.Object3D>();
  /** Each mesh's own material, kept so that colouring by change and highlighting can be undone. */
  private readonly originals = new Map<THREE.Mesh, THREE.Material | THREE.Material[]>();
  private readonly resizer: ResizeObserver;
  private selected: string | undefined;
  private cursor: string | undefined;
  private changes: Map<string, ChangeKind> | undefined;
  private frame = 0;

  constructor(private readonly canvas: HTMLCanvasElement) {
    this.renderer = new THREE.WebGLRenderer({ canvas, antialias: true, preserveDrawingBuffer: true });
    this.renderer.setPixelRatio(Math.min(window.devicePixelRatio, 2));
    this.scene.background = new THREE.Color('#eef1f5');
    // A sky/ground fill and a sun from above one corner: faces of a box read apart without shadows.
    this.scene.add(new THREE.HemisphereLight('#ffffff', '#8a8f99', 2.2));
    const sun = new THREE.DirectionalLight('#ffffff', 1.6);
    sun.position.set(0.6, 1, 0.4);
    this.scene.add(sun);
    this.controls = new OrbitControls(this.camera, canvas);
    this.controls.enableDamping = false;
    // Keys are the viewport's own (orbit, pan, zoom, stepping through elements: viewport.tsx), not OrbitControls' arrow-key pan.
    this.controls.addEventListener('change', () => this.render());
    this.resizer = new ResizeObserver(() => this.resize());
    this.resizer.observe(canvas);
    this.resize();
  }

  /** Parses binary glTF from memory and adds its element nodes; answers how many there are. */
  async load(bytes: ArrayBuffer): Promise<number> {
    const gltf = await new GLTFLoader().parseAsync(bytes, '');
    this.scene.add(gltf.scene);
    gltf.scene.traverse((object) => {
      const id = (object.userData as { elementId?: string }).elementId;
      if (id) this.nodes.set(id, object);
      if (object instanceof THREE.Mesh) this.originals.set(object, object.material);
    });
    this.fit();
    return this.nodes.size;
  }

  get elementIds(): string[] {
    return [...this.nodes.keys()];
  }

  /** Frames what is visible, from a three-quarter view above the model. */
  fit(): void {
    const box = new THREE.Box3();
    for (const node of this.nodes.values()) if (node.visible) box.expandByObject(node);
    if (box.isEmpty()) box.setFromCenterAndSize(new THREE.Vector3(), new THREE.Vector3(10, 10, 10));
    const centre = box.getCenter(new THREE.Vector3());
    const direction = new THREE.Vector3(1, 0.8, 1.2).normalize();
    // The distance at which every corner of the box is inside the view, both ways (a bounding
    // sphere would leave a flat model small in the middle of the canvas).
    const right = new THREE.Vector3().crossVectors(new THREE.Vector3(0, 1, 0), direction).normalize();
    const up = new THREE.Vector3().crossVectors(direction, right);
    const tanV = Math.tan(THREE.MathUtils.degToRad(this.camera.fov / 2));
    const tanH = tanV * this.camera.aspect;
    let distance = 0;
    for (const x of [box.min.x, box.max.x])
      for (const y of [box.min.y, box.max.y])
        for (const z of [box.min.z, box.max.z]) {
          const corner = new THREE.Vector3(x, y, z).sub(centre);
          const towards = corner.dot(direction);
          distance = Math.max(distance, Math.abs(corner.dot(up)) / tanV + towards, Math.abs(corner.dot(right)) / tanH + towards);
        }
    distance = Math.max(distance * 1.08, 0.5); // a margin around the model
    this.camera.position.copy(centre).addScaledVector(direction, distance);
    this.camera.near = Math.max(distance / 1000, 0.01);
    this.camera.far = distance * 100;
    this.camera.updateProjectionMatrix();
    this.controls.target.copy(centre);
    this.controls.update();
    this.render();
  }

  /** The element under a point of the canvas (client coordinates), ignoring hidden ones. */
  pick(clientX: number, clientY: number): string | undefined {
    const rect = this.canvas.getBoundingClientRect();
    const ndc = new THREE.Vector2(((clientX - rect.left) / rect.width) * 2 - 1, -((clientY - rect.top) / rect.height) * 2 + 1);
    const ray = new THREE.Raycaster();
    ray.setFromCamera(ndc, this.camera);
    for (const hit of ray.intersectObjects(
      [...this.nodes.values()].filter((n) => n.visible),
      true,
    )) {
      if (!isVisible(hit.object)) continue;
      const id = this.elementOf(hit.object);
      if (id) return id;
    }
    return undefined;
  }

  /** Where an element's bounding-box centre is on screen (client coordinates), for tests. */
  screenPoint(id: string): { x: number; y: number } | undefined {
    const node = this.nodes.get(id);
    if (!node) return undefined;
    const centre = new THREE.Box3().setFromObject(node).getCenter(new THREE.Vector3()).project(this.camera);
    const rect = this.canvas.getBoundingClientRect();
    return { x: rect.left + ((centre.x + 1) / 2) * rect.width, y: rect.top + ((1 - centre.y) / 2) * rect.height };
  }

  select(id: string | undefined): void {
    this.selected = id;
    this.paint();
  }

  /** The element the keyboard is on (drawn lighter than the selection); undefined: none. */
  setCursor(id: string | undefined): void {
    this.cursor = id;
    this.paint();
  }

  /** Turns the camera around the point it looks at: `left` and `up` in radians (the keyboard's orbit). */
  orbit(left: number, up: number): void {
    const offset = this.camera.position.clone().sub(this.controls.target);
    const spherical = new THREE.Spherical().setFromVector3(offset);
    spherical.theta -= left;
    spherical.phi = THREE.MathUtils.clamp(spherical.phi - up, 0.01, Math.PI - 0.01);
    this.camera.position.copy(this.controls.target).add(new THREE.Vector3().setFromSpherical(spherical));
    this.controls.update();
    this.render();
  }

  /** Moves the camera and the point it looks at sideways (`right`, `up`: fractions of the view's height). */
  pan(right: number, up: number): void {
    const distance = this.camera.position.distanceTo(this.controls.target);
    const height = 2 * distance * Math.tan(THREE.MathUtils.degToRad(this.camera.fov / 2));
    const x = new THREE.Vector3().setFromMatrixColumn(this.camera.matrix, 0).multiplyScalar(right * height);
    const y = new THREE.Vector3().setFromMatrixColumn(this.camera.matrix, 1).multiplyScalar(up * height);
    const move = x.add(y);
    this.camera.position.add(move);
    this.controls.target.add(move);
    this.controls.update();
    this.render();
  }

  /** Moves the camera towards the point it looks at (`factor` < 1) or away from it (> 1). */
  zoom(factor: number): void {
    const offset = this.camera.position.clone().sub(this.controls.target).multiplyScalar(factor);
    if (offset.length() < this.camera.near * 2) return;
    this.camera.position.copy(this.controls.target).add(offset);
    this.controls.update();
    this.render();
  }

  /** Where the camera is and looks (for tests: a keyboard move must change it). */
  view(): { position: number[]; target: number[] } {
    return { position: this.camera.position.toArray(), target: this.controls.target.toArray() };
  }

  setVisible(ids: Iterable<string>, visible: boolean): void {
    for (const id of ids) {
      const node = this.nodes.get(id);
      if (node) node.visible = visible;
    }
    this.render();
  }

  /** Colours elements by what changed (undefined: their own colours again). */
  colourByChange(changes: Map<string, ChangeKind> | undefined): void {
    this.changes = changes;
    this.paint();
  }

  dispose(): void {
    cancelAnimationFrame(this.frame);
    this.resizer.disconnect();
    this.controls.dispose();
    this.renderer.dispose();
  }

  private elementOf(object: THREE.Object3D | null): string | undefined {
    for (let o = object; o; o = o.parent) {
      const id = (o.userData as { elementId?: string }).elementId;
      if (id) return id;
    }
    return undefined;
  }

  private paint(): void {
    const materials = new Map<string, THREE.Material>();
    const flat = (colour: THREE.ColorRepresentation, transparent: boolean, opacity: number) => {
      const key = `${new THREE.Color(colour).getHexString()}${transparent ? opacity : ''}`;
      let material = materials.get(key);
      if (!material) {
        material = new THREE.MeshStandardMaterial({ color: colour, roughness: 1, metalness: 0, transparent, opacity, side: THREE.DoubleSide });
        materials.set(key, material);
      }
      return material;
    };
    for (const [mesh, original] of this.originals) {
      const id = this.elementOf(mesh);
      const first = Array.isArray(original) ? original[0] : original;
      const transparent = first?.transparent ?? false;
      const opacity = first?.opacity ?? 1;
      if (id && id === this.selected) mesh.material = flat(HIGHLIGHT, transparent, Math.max(opacity, 0.6));
      else if (id && id === this.cursor) mesh.material = flat(CURSOR, transparent, Math.max(opacity, 0.6));
      else if (this.changes && id) mesh.material = flat(CHANGE_COLOURS[this.changes.get(id) ?? 'unchanged'], transparent, opacity);
      else mesh.material = original;
    }
    this.render();
  }

  private resize(): void {
    const { clientWidth: width, clientHeight: height } = this.canvas;
    if (!width || !height) return;
    this.renderer.setSize(width, height, false);
    this.camera.aspect = width / height;
    this.camera.updateProjectionMatrix();
    this.render();
  }

  /** Renders on the next frame, once however many changes asked for it (no render loop while idle). */
  private render(): void {
    cancelAnimationFrame(this.frame);
    this.frame = requestAnimationFrame(() => this.renderer.render(this.scene, this.camera));
  }
}

function isVisible(object: THREE.Object3D): boolean {
  for (let o: THREE.Object3D | null = object; o; o = o.parent) if (!o.visible) return false;
  return true;
}
